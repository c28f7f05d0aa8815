// Tests of the shared HTTP code, run by CTest (`ctest --test-dir build`, or
// `npm run docker:test` in Docker). No framework: each check prints what
// failed and the program exits non-zero, which is all CTest needs.
#include <cstdlib>
#include <iostream>
#include <string>

#include "http.hpp"

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << '\n';
    ++failures;
  }
}

}  // namespace

int main() {
  const auto request = app::parseRequestLine("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
  check(request.has_value(), "parseRequestLine accepts a GET request line");
  if (request) {
    check(request->method == "GET", "parseRequestLine reads the method");
    check(request->path == "/healthz", "parseRequestLine reads the path");
    check(app::route(*request).status == 200, "GET /healthz answers 200");
  }
  check(!app::parseRequestLine("not a request").has_value(), "parseRequestLine rejects garbage");
  check(app::route(app::Request{"GET", "/no-such-page"}).status == 404, "an unknown path answers 404");
  check(app::reason(404) == "Not Found", "reason(404) is Not Found");

  if (failures > 0) {
    std::cerr << failures << " check(s) failed\n";
    return EXIT_FAILURE;
  }
  std::cout << "all checks passed\n";
  return EXIT_SUCCESS;
}
