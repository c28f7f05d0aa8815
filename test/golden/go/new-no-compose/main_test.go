package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Run with `go test ./...`, or in Docker with `npm run docker:test`.

func TestRootSaysHello(t *testing.T) {
	rec := httptest.NewRecorder()
	routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / answered %d, want 200", rec.Code)
	}
	if !strings.Contains(rec.Body.String(), "Hello from my-app") {
		t.Fatalf("GET / answered %q, want a greeting", rec.Body.String())
	}
}

func TestHealthz(t *testing.T) {
	rec := httptest.NewRecorder()
	routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != "ok" {
		t.Fatalf("GET /healthz answered %d %q, want 200 ok", rec.Code, rec.Body.String())
	}
}

func TestUnknownPathIsNotFound(t *testing.T) {
	rec := httptest.NewRecorder()
	routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/no-such-page", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("GET /no-such-page answered %d, want 404", rec.Code)
	}
}
