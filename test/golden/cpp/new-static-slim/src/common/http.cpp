#include "http.hpp"

#include <charconv>
#include <cstdlib>

namespace app {

std::string_view name() { return APP_NAME; }
std::string_view version() { return APP_VERSION; }
int defaultPort() { return APP_DEFAULT_PORT; }

int portFromEnvironment() {
  const char* text = std::getenv("PORT");
  if (text == nullptr || *text == '\0') return defaultPort();
  std::string_view value{text};
  int port = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), port);
  if (error != std::errc{} || end != value.data() + value.size() || port < 1 || port > 65535) return defaultPort();
  return port;
}

std::optional<Request> parseRequestLine(std::string_view head) {
  const auto lineEnd = head.find("\r\n");
  const std::string_view line = head.substr(0, lineEnd);
  const auto firstSpace = line.find(' ');
  if (firstSpace == std::string_view::npos || firstSpace == 0) return std::nullopt;
  const auto secondSpace = line.find(' ', firstSpace + 1);
  if (secondSpace == std::string_view::npos) return std::nullopt;
  const std::string_view protocol = line.substr(secondSpace + 1);
  if (!protocol.starts_with("HTTP/1.")) return std::nullopt;
  Request request{std::string(line.substr(0, firstSpace)), std::string(line.substr(firstSpace + 1, secondSpace - firstSpace - 1))};
  if (request.path.empty() || request.path.front() != '/') return std::nullopt;
  // The query string does not take part in routing.
  if (const auto query = request.path.find('?'); query != std::string::npos) request.path.resize(query);
  return request;
}

Response route(const Request& request) {
  if (request.method != "GET") return {405, "method not allowed\n"};
  if (request.path == "/healthz") return {200, "ok\n"};
  if (request.path == "/") return {200, std::string("Hello from ").append(name()).append(" ").append(version()).append("\n")};
  return {404, "not found\n"};
}

std::string_view reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    default: return "Internal Server Error";
  }
}

std::string serialize(const Response& response) {
  std::string out = "HTTP/1.1 ";
  out.append(std::to_string(response.status)).append(" ").append(reason(response.status)).append("\r\n");
  out.append("Content-Type: text/plain; charset=utf-8\r\n");
  out.append("Content-Length: ").append(std::to_string(response.body.size())).append("\r\n");
  out.append("Connection: close\r\n\r\n");
  out.append(response.body);
  return out;
}

}  // namespace app
