// Exports of this area (owned by its crypto work); empty until it lands.
