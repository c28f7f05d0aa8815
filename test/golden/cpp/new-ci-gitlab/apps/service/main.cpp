// A small HTTP service on POSIX sockets: GET /healthz answers 200, GET / says
// hello. It listens on $PORT (default fixed at build time) and stops cleanly on
// SIGTERM (docker stop) or SIGINT (Ctrl-C).
//
//   server                 serve
//   server --healthcheck   probe a running server on this machine (exit 0 when healthy);
//                          the Docker HEALTHCHECK, which needs no shell or curl in the image
//   server --version

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

#include "http.hpp"

namespace {

volatile std::sig_atomic_t stopRequested = 0;

extern "C" void requestStop(int) { stopRequested = 1; }

// Closes the descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

void setTimeouts(int fd, int seconds) {
  timeval timeout{};
  timeout.tv_sec = seconds;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

bool sendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

// Reads the request head (up to the blank line), answers, and lets the caller close.
void handle(int client) {
  // A client that never finishes its request cannot hold the server for long.
  setTimeouts(client, 5);
  std::string head;
  char buffer[2048];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 8192) {
    const ssize_t received = ::recv(client, buffer, sizeof buffer, 0);
    if (received < 0 && errno == EINTR) continue;
    if (received <= 0) break;
    head.append(buffer, static_cast<size_t>(received));
  }
  const auto request = app::parseRequestLine(head);
  const app::Response response = request ? app::route(*request) : app::Response{400, "bad request\n"};
  sendAll(client, app::serialize(response));
}

int serve(int port) {
  // SIGTERM and SIGINT stay blocked except inside ppoll(), so a stop request
  // can never slip in between checking the flag and waiting for a client.
  struct sigaction action{};
  action.sa_handler = requestStop;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
  sigset_t stopSignals, waitMask;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  ::sigprocmask(SIG_BLOCK, &stopSignals, &waitMask);
  sigdelset(&waitMask, SIGTERM);
  sigdelset(&waitMask, SIGINT);

  FileDescriptor listener{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (listener.get() < 0) {
    std::cerr << "socket: " << std::strerror(errno) << '\n';
    return 1;
  }
  const int reuse = 1;
  ::setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) < 0 || ::listen(listener.get(), 64) < 0) {
    std::cerr << "cannot listen on port " << port << ": " << std::strerror(errno) << '\n';
    return 1;
  }
  std::cout << app::name() << ' ' << app::version() << " listening on port " << port << std::endl;

  while (!stopRequested) {
    pollfd waiting{listener.get(), POLLIN, 0};
    const int ready = ::ppoll(&waiting, 1, nullptr, &waitMask);
    if (ready < 0) {
      if (errno == EINTR) continue;
      std::cerr << "poll: " << std::strerror(errno) << '\n';
      return 1;
    }
    FileDescriptor client{::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC)};
    if (client.get() >= 0) handle(client.get());
  }
  std::cout << "stopping" << std::endl;
  return 0;
}

// Exit 0 when GET /healthz on this machine answers 200.
int healthcheck(int port) {
  FileDescriptor probe{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (probe.get() < 0) return 1;
  setTimeouts(probe.get(), 3);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(probe.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) {
    std::cerr << "healthcheck: cannot connect to port " << port << ": " << std::strerror(errno) << '\n';
    return 1;
  }
  if (!sendAll(probe.get(), "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")) return 1;
  char buffer[64];
  const ssize_t received = ::recv(probe.get(), buffer, sizeof buffer, 0);
  const std::string_view status{buffer, received > 0 ? static_cast<size_t>(received) : 0};
  if (status.starts_with("HTTP/1.1 200") || status.starts_with("HTTP/1.0 200")) return 0;
  std::cerr << "healthcheck: unexpected answer from port " << port << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int port = app::portFromEnvironment();
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument{argv[i]};
    if (argument == "--healthcheck") return healthcheck(port);
    if (argument == "--version") {
      std::cout << app::name() << ' ' << app::version() << '\n';
      return 0;
    }
    if (argument == "--help" || argument == "-h") {
      std::cout << "usage: " << argv[0] << " [--healthcheck | --version]\nServes HTTP on $PORT (default " << app::defaultPort() << ").\n";
      return 0;
    }
    std::cerr << argv[0] << ": unknown argument " << argument << " (try --help)\n";
    return 2;
  }
  return serve(port);
}
