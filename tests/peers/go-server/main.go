// A small Go crypto/tls TLS 1.3 server for the interop tests: it answers any
// request line with a fixed page of the size asked for ("GET /N") and closes
// with close_notify. Usage: go-server -port P -cert C -key K [-curve x25519|p256]
// [-clientca CA] [-tickets=false]
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
)

func main() {
	port := flag.Int("port", 0, "port")
	cert := flag.String("cert", "", "certificate chain PEM")
	key := flag.String("key", "", "key PEM")
	curve := flag.String("curve", "", "x25519 or p256 only")
	clientCA := flag.String("clientca", "", "require a client certificate from this CA")
	tickets := flag.Bool("tickets", true, "send session tickets")
	flag.Parse()
	kp, err := tls.LoadX509KeyPair(*cert, *key)
	if err != nil {
		log.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{kp}, MinVersion: tls.VersionTLS13, SessionTicketsDisabled: !*tickets}
	switch *curve {
	case "x25519":
		cfg.CurvePreferences = []tls.CurveID{tls.X25519}
	case "p256":
		cfg.CurvePreferences = []tls.CurveID{tls.CurveP256}
	}
	if *clientCA != "" {
		pem, err := os.ReadFile(*clientCA)
		if err != nil {
			log.Fatal(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	ln, err := tls.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port), cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("LISTENING")
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go serve(c.(*tls.Conn))
	}
}

func serve(c *tls.Conn) {
	defer c.Close()
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		fmt.Println("ERROR", err)
		return
	}
	n := 100
	if f := strings.Fields(line); len(f) > 1 {
		if v, err := strconv.Atoi(strings.TrimPrefix(f[1], "/")); err == nil {
			n = v
		}
	}
	st := c.ConnectionState()
	body := strings.Repeat("x", n)
	fmt.Fprintf(c, "HTTP/1.0 200 OK\r\nX-Resumed: %v\r\nX-Suite: %04x\r\n\r\n%s", st.DidResume, st.CipherSuite, body)
	fmt.Println("SERVED", n, st.DidResume)
}
