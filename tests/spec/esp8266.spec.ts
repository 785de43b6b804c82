// Unit specs for the ESP8266 driver's parsing: the protocol text table, query
// replies and unsolicited messages, decoded from a line put in the line buffer.
import { TEXTS, T_OK, T_SEND_OK, T_CUR, T_CIPSTA_CUR_IP, T_MONTHS, T_TCP, T_RECVDATA, T_COMMA, T_IPD } from "../../assembly/esp8266/text";
import { LINE, lineNum, lineIs, lineStarts } from "../../assembly/esp8266/uart";
import {
  urc, stationIp, sntpSeconds, dialect, NONOS, AT2, setState, stateOf, availOf, setAvail, OPEN, CLOSED, FREE,
} from "../../assembly/esp8266/at";
import * as uart from "../../assembly/esp8266/uart";

function text(t: i32): string {
  let s = "";
  for (let i = 0; i < (t & 255); i++) s += String.fromCharCode(load<u8>(TEXTS + (t >>> 8) + i));
  return s;
}
function line(s: string): void {
  for (let i = 0; i < s.length; i++) store<u8>(LINE + i, s.charCodeAt(i));
  uart.lineLen = s.length;
}

describe("text table", () => {
  it("spells every text", () => {
    expect(text(T_OK)).toBe("OK");
    expect(text(T_SEND_OK)).toBe("SEND OK");
    expect(text(T_CUR)).toBe("_CUR");
    expect(text(T_CIPSTA_CUR_IP)).toBe("+CIPSTA_CUR:ip:\"");
    expect(text(T_MONTHS)).toBe("JanFebMarAprMayJunJulAugSepOctNovDec");
    expect(text(T_TCP)).toBe(",\"TCP\",");
    expect(text(T_RECVDATA)).toBe("AT+CIPRECVDATA=");
    expect(text(T_COMMA)).toBe(",");
  });
  it("matches whole lines and prefixes", () => {
    line("OK");
    expect(lineIs(T_OK)).toBe(true);
    line("OK ");
    expect(lineIs(T_OK)).toBe(false);
    expect(lineStarts(T_OK)).toBe(true);
    line("O");
    expect(lineStarts(T_OK)).toBe(false);
  });
});

describe("lineNum", () => {
  it("reads up to 7 decimal digits at the cursor", () => {
    line("2048,x");
    uart.cur = 0;
    expect(lineNum()).toBe(2048);
    expect(uart.cur).toBe(4);
    expect(lineNum()).toBe(-1);
    line("12345678");
    uart.cur = 0;
    expect(lineNum()).toBe(1234567);
  });
  it("rejects a data header with trailing junk in its length", () => {
    line("+IPD,0,12x");
    setState(0, OPEN);
    setAvail(0, 0);
    urc();
    expect(availOf(0)).toBe(0);
    setState(0, FREE);
  });
});

describe("replies and unsolicited messages", () => {
  it("reads the station IP in both dialects", () => {
    line("+CIPSTA_CUR:ip:\"10.0.0.7\"");
    urc();
    expect(stationIp).toBe(0x0a000007);
    line("+CIPSTA:ip:\"192.168.4.2\"");
    urc();
    expect(stationIp).toBe(0xc0a80402);
    line("+CIPSTA:ip:\"192.168.4.256\"");
    urc();
    expect(stationIp).toBe(0);
    line("+CIPSTA:ip:\"1.2.3\"");
    urc();
    expect(stationIp).toBe(0);
  });
  it("converts the SNTP time to seconds since 1970", () => {
    line("+CIPSNTPTIME:Thu Aug 04 14:48:05 2016");
    urc();
    expect(sntpSeconds).toBe(1470322085);
    line("+CIPSNTPTIME:Tue Feb 29 00:00:00 2000");
    urc();
    expect(sntpSeconds).toBe(951782400);
    line("+CIPSNTPTIME:Wed Mar 9 10:51:32 2022");
    urc();
    expect(sntpSeconds).toBe(1646823092);
    line("+CIPSNTPTIME:Wed Mar  9 10:51:32 2022");
    urc();
    expect(sntpSeconds).toBe(1646823092);
    line("+CIPSNTPTIME:Thu Jan 01 00:00:00 1970");
    urc();
    expect(sntpSeconds).toBe(0);
    line("+CIPSNTPTIME:Thu Foo 01 00:00:00 2020");
    urc();
    expect(sntpSeconds).toBe(0);
  });
  it("tells the dialect from AT version", () => {
    line("AT version:1.7.4.0(May 11 2020 19:13:04)");
    urc();
    expect(dialect).toBe(NONOS);
    line("AT version:2.2.0.0(c6fa6bf - ESP8266 - Jul  2 2021 06:44:05)");
    urc();
    expect(dialect).toBe(AT2);
  });
  it("records +IPD and CLOSED for open links only", () => {
    setState(1, OPEN);
    setAvail(1, 0);
    line("+IPD,1,5760");
    urc();
    expect(availOf(1)).toBe(5760);
    line("+IPD,2,100");
    urc();
    expect(availOf(2)).toBe(0);
    line("+IPD,9,100");
    urc();
    line("1,CLOSED");
    urc();
    expect(stateOf(1)).toBe(CLOSED);
    line("3,CLOSED");
    urc();
    expect(stateOf(3)).toBe(FREE);
    setState(1, FREE);
  });
  it("reads +CIPRECVLEN for every open link", () => {
    setState(0, OPEN);
    setState(2, OPEN);
    line("+CIPRECVLEN:12,-1,5760,-1,-1");
    urc();
    expect(availOf(0)).toBe(12);
    expect(availOf(2)).toBe(5760);
    expect(availOf(1)).toBe(0);
    setState(0, FREE);
    setState(2, FREE);
    setAvail(0, 0);
    setAvail(2, 0);
  });
  it("ignores garbage", () => {
    line("\xff\xfe+IPD,,");
    urc();
    line("+IPD,0,");
    urc();
    expect(availOf(0)).toBe(0);
  });
});
