/**
 * A minimal existing project per stack. The battery runs every case against
 * each stack the CLI knows; a stack without an entry here fails the battery,
 * so a new stack cannot slip past it.
 */
export const EXISTING_PROJECTS: Record<string, Record<string, string>> = {
  nextjs: {
    'package.json': `${JSON.stringify(
      {
        name: 'shop',
        version: '1.2.3',
        private: true,
        scripts: { dev: 'next dev', build: 'next build', start: 'next start' },
        dependencies: { next: '16.4.6', react: '19.3.1', 'react-dom': '19.3.1' },
      },
      null,
      2,
    )}\n`,
    'package-lock.json': '{"lockfileVersion": 3}\n',
    'next.config.mjs': "export default { output: 'standalone' };\n",
    'app/page.tsx': 'export default function Page() { return <p>shop</p>; }\n',
  },
  go: {
    'go.mod': 'module example.com/shop\n\ngo 1.25\n',
    'main.go': 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})\n\t_ = http.ListenAndServe(":8080", nil)\n}\n',
  },
  cpp: {
    'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.20)\nproject(shop CXX)\nset(CMAKE_CXX_STANDARD 20)\nadd_executable(shop main.cpp)\n',
    'main.cpp': '#include <cstdio>\nint main() { std::puts("shop"); return 0; }\n',
  },
};
