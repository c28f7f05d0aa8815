/**
 * One line per rule saying how to fix a finding, printed by `check` next to
 * the rule id and line (the id names the public rule: hadolint DLxxxx, a
 * BuildKit build check, or ours; see DOCKERFILE-RULES in the repository).
 */
export const RULE_FIXES: Record<string, string> = {
  'CIS-4.3': 'copy only build outputs into the shipped stage (no compiler, package cache or source tree)',
  'CIS-4.6': 'add a HEALTHCHECK in exec form where the runtime can run one',
  'CIS-4.7': 'run apt-get update and install in one RUN',
  'dockerfile-utils': 'fix the instruction the parser names',
  CacheMountId: 'give the cache mount an id= unique to the project (e.g. id=myapp-npm)',
  CopyIgnoredFile: 'stop ignoring the copied path in .dockerignore, or copy something else',
  DL3000: 'use an absolute WORKDIR (e.g. WORKDIR /app)',
  DL3002: 'end the shipped stage with a non-root USER, numeric preferred (e.g. USER 65532:65532)',
  DL3003: 'use WORKDIR instead of cd in RUN',
  DL3006: 'pin the base image to a tag (e.g. FROM node:24-trixie-slim)',
  DL3007: 'replace :latest with an explicit version tag',
  DL3009: 'remove /var/lib/apt/lists/* in the same RUN, or use a cache mount on /var/lib/apt',
  DL3014: 'pass -y to apt-get install',
  DL3015: 'pass --no-install-recommends to apt-get install',
  DL3020: 'use COPY instead of ADD for local files',
  DL3022: 'COPY --from= an earlier stage name (or a pinned image on purpose)',
  DL3023: 'COPY --from= another stage, not the stage itself',
  DL3025: 'write CMD/ENTRYPOINT in exec form: CMD ["executable", "arg"]',
  DL3027: 'use apt-get, not apt, in scripts',
  DL3045: 'set WORKDIR before copying to a relative destination',
  DL4000: 'replace MAINTAINER with LABEL org.opencontainers.image.authors="…"',
  DL4003: 'keep one CMD per stage (the last one wins)',
  DL4004: 'keep one ENTRYPOINT per stage (the last one wins)',
  DL4006: 'add SHELL ["/bin/bash", "-o", "pipefail", "-c"] before a RUN with a pipe',
  DockerignoreCoverage: 'add VCS data, dependencies, build outputs and .env*/keys to .dockerignore',
  DuplicateStageName: 'give every stage a unique name',
  ExposeInvalidFormat: 'EXPOSE a port number only (EXPOSE 8080), publish with docker run -p',
  ForbiddenSyntax: 'avoid syntax newer engines alone understand (heredocs, COPY --link, …)',
  FromAsCasing: 'write AS in the same case as FROM',
  FromPlatformFlagConstDisallowed: 'drop the constant --platform, or use $BUILDPLATFORM/$TARGETPLATFORM',
  InstallCacheMount: "add RUN --mount=type=cache,id=<project>-<tool>,target=<the tool's cache dir> to the install",
  InvalidDefaultArgInFrom: 'give the ARG used in FROM a non-empty default before the first FROM',
  LegacyKeyValueFormat: 'write ENV/LABEL as key=value',
  ManifestsBeforeSource: 'copy (or bind-mount) the manifests and install before COPY . .',
  MultipleInstructionsDisallowed: 'keep one CMD, ENTRYPOINT and HEALTHCHECK per stage',
  OCILabels: 'add LABEL org.opencontainers.image.title/source/version with valid keys',
  RedundantTargetPlatform: 'drop --platform=$TARGETPLATFORM (it is the default)',
  ReservedStageName: 'rename the stage (scratch and context are reserved)',
  SecretsUsedInArgOrEnv: 'pass secrets with RUN --mount=type=secret, not ARG/ENV',
  StageNameCasing: 'write stage names in lowercase',
  StageOrder: 'order the stages base → dependencies → development → builder → production',
  SyntaxDirective: 'start the file with # syntax=docker/dockerfile:1',
  UndefinedArgInFrom: 'declare the ARG (with a default) before the first FROM',
};

export function fixFor(rule: string): string {
  return RULE_FIXES[rule] ?? 'see the rule in DOCKERFILE-RULES.md';
}
