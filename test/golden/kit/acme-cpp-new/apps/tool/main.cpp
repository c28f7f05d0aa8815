// The command-line tool: answers each PATH the way the service would, using
// the same library, without starting a server.
//
//   cli /healthz /missing
//   cli --version

#include <iostream>
#include <string_view>

#include "http.hpp"

int main(int argc, char** argv) {
  int paths = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument{argv[i]};
    if (argument == "--version") {
      std::cout << app::name() << ' ' << app::version() << '\n';
      return 0;
    }
    if (argument == "--help" || argument == "-h") {
      std::cout << "usage: " << argv[0] << " [--version] [PATH...]\nPrints what the service answers for each PATH (default /).\n";
      return 0;
    }
    if (argument.starts_with("-")) {
      std::cerr << argv[0] << ": unknown option " << argument << " (try --help)\n";
      return 2;
    }
    const app::Response response = app::route({"GET", std::string(argument)});
    std::cout << "GET " << argument << " -> " << response.status << ' ' << app::reason(response.status) << ": " << response.body;
    ++paths;
  }
  if (paths == 0) {
    const app::Response response = app::route({"GET", "/"});
    std::cout << "GET / -> " << response.status << ' ' << app::reason(response.status) << ": " << response.body;
  }
  return 0;
}
