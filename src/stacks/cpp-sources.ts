/**
 * Scans of a project's C and C++ sources rather than its build files: the
 * one port a server names and whether anything listens at all (bundled
 * dependency trees left out), and whether there are sources near the top for
 * a Makefile to build. Separate from the Makefile, autotools and CMake
 * readers because they serve every build system.
 */
import type { Project } from '../project.js';
import { isBundled } from './cpp-make.js';

/**
 * The port a server listens on, when its sources say it once: `#define PORT
 * 7000`, `port = 7000`, `htons(7000)`. Several different candidates, or none,
 * leave it unknown.
 */
export function detectSourcePort(project: Project): number | undefined {
  const files = project.walk({ maxDepth: 3, limit: 200, accept: (file) => /\.(c|cc|cpp|cxx|h|hh|hpp)$/i.test(file) && !isBundled(file) });
  const found = new Set<number>();
  for (const file of files) {
    const text = project.readText(file) ?? '';
    for (const match of text.matchAll(
      /#define\s+\w*PORT\w*\s+(\d{2,5})\b|\b(?:const\w*\s+)?(?:int|short|unsigned|uint16_t|in_port_t|auto)?\s*\w*port\w*\s*=\s*(\d{2,5})\s*;|htons\s*\(\s*(\d{2,5})\s*\)|getenv\s*\(\s*"PORT"\s*\)[^;]*?\b(\d{2,5})\s*;/gi,
    )) {
      const port = Number(match[1] ?? match[2] ?? match[3] ?? match[4]);
      if (port >= 1 && port <= 65535) found.add(port);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Whether any of the project's own sources accepts connections (listen/accept): a project without one ships commands only. */
export function sourcesListen(project: Project): boolean {
  const files = project.walk({ maxDepth: 4, limit: 500, accept: (file) => /\.(c|cc|cpp|cxx|c\+\+)$/i.test(file) && !isBundled(file) });
  return files.some((file) => /\b(listen|accept4?|uv_listen|evconnlistener_new\w*)\s*\(/.test(project.readText(file) ?? ''));
}

/** Whether the tree holds C or C++ sources near the top (a Makefile alone could build anything). */
export function hasCppSources(project: Project): boolean {
  return project.walk({ maxDepth: 2, limit: 1, accept: (file) => /\.(c|cc|cpp|cxx|c\+\+)$/i.test(file) }).length > 0;
}
