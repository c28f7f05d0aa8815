// The code the service and the command-line tool share.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace app {

// Fixed at build time by CMakeLists.txt (project name and version, the generated port).
std::string_view name();
std::string_view version();
int defaultPort();

// The port to listen on or probe: $PORT when it holds a valid port, else the default.
int portFromEnvironment();

struct Request {
  std::string method;
  std::string path;
};

struct Response {
  int status;
  std::string body;
};

// Parses the request line of an HTTP/1.x request head ("GET /healthz HTTP/1.1").
std::optional<Request> parseRequestLine(std::string_view head);

// What the service answers: the routing table.
Response route(const Request& request);

// The reason phrase of a status code ("OK", "Not Found"...).
std::string_view reason(int status);

// A complete HTTP/1.1 response; the connection closes after it.
std::string serialize(const Response& response);

}  // namespace app
