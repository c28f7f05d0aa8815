/**
 * The `--apps` question every workspace stack asks (Node and Go alike): which
 * of the workspace's apps get a development/production target pair. Values are
 * names or paths (`web,apps/docs,@acme/admin`); the default is every app.
 *
 * The answer keeps the tokens as given (so the Dockerfile header replays the
 * user's own words); `selectApps` turns them into apps, in workspace order.
 */
import { UsageError } from '../errors.js';
import { attempt, InvalidValue } from '../validate.js';
import type { Answers, AnswerValue, Question, QuestionContext } from './types.js';

/** What a token can name: an app's target (`web`), its folder (`apps/web`) or its package/module name. */
export interface SelectableApp {
  /** Target-safe name (`production-<target>`). */
  target: string;
  /** Folder relative to the workspace root, POSIX. */
  dir: string;
  /** package.json `name` or the Go module path; '' when there is none. */
  name: string;
}

/** Where the question reads the apps from: the stack's own detection, typed. */
export interface AppsQuestionSource<Facts> {
  /** The apps this stack can generate for, sorted by dir. */
  apps(ctx: QuestionContext<Facts>): readonly SelectableApp[];
  /** False when the run started inside one app's folder: that app is the choice, and `--apps` does not apply. */
  applies(ctx: QuestionContext<Facts>): boolean;
}

const MAX_TOKEN = 214;
// A package name (scoped too), a module path or a relative folder: no spaces, quotes, `$`, `\` or `..` segments.
const TOKEN_RE = /^[A-Za-z0-9@_][A-Za-z0-9._@/~-]*$/;

function show(raw: string): string {
  return JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
}

/** Normalises one token: `./apps/web/` → `apps/web`. */
function normaliseToken(raw: string): string {
  const token = raw.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  if (token === '') throw new InvalidValue('lists an empty app name');
  if (token.length > MAX_TOKEN) throw new InvalidValue(`lists a name longer than ${MAX_TOKEN} characters`);
  if (!TOKEN_RE.test(token) || token.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new InvalidValue(`item ${show(token)} is not an app name or a folder inside the workspace`);
  }
  return token;
}

/** `--apps` syntax only (no workspace needed): a comma-separated list of names or paths, none twice. */
export function parseAppList(raw: string): string[] {
  if (raw.trim() === '') throw new InvalidValue('must name at least one app (e.g. web,docs)');
  const tokens = raw.split(',').map(normaliseToken);
  const seen = new Set<string>();
  for (const token of tokens) {
    if (seen.has(token)) throw new InvalidValue(`lists ${show(token)} twice`);
    seen.add(token);
  }
  return tokens;
}

function matchesToken(app: SelectableApp, token: string): boolean {
  return app.target === token || app.dir === token || (app.name !== '' && app.name === token);
}

/**
 * The apps the tokens name, in the order of `apps` (workspace order, so the
 * Dockerfile does not change with the order of the flag). Throws InvalidValue
 * naming the unknown or ambiguous token and the apps there are.
 */
export function selectApps<T extends SelectableApp>(tokens: readonly string[], apps: readonly T[]): T[] {
  const available = apps.map((app) => (app.dir === app.target ? app.dir : `${app.target} (${app.dir})`)).join(', ') || 'none';
  const chosen = new Set<T>();
  for (const token of tokens) {
    const found = apps.filter((app) => matchesToken(app, token));
    if (found.length === 0) throw new InvalidValue(`names ${show(token)}, which is not an app of this workspace; the apps are ${available}`);
    if (found.length > 1) throw new InvalidValue(`${show(token)} names several apps (${found.map((app) => app.dir).join(', ')}): use the folder`);
    if (chosen.has(found[0]!)) throw new InvalidValue(`names ${found[0]!.dir} twice (${show(token)})`);
    chosen.add(found[0]!);
  }
  return apps.filter((app) => chosen.has(app));
}

function asTokens(value: AnswerValue): string[] {
  return Array.isArray(value) ? value : parseAppList(String(value));
}

/** The `--apps` question, reading the apps from `source`. */
export function workspaceAppsQuestion<Facts>(source: AppsQuestionSource<Facts>): Question<Facts> {
  return {
    flag: 'apps',
    message: 'Apps to build (comma-separated names or folders)',
    type: 'text',
    parse: parseAppList,
    defaultValue: (ctx) => source.apps(ctx).map((app) => app.target),
    fits: (value, ctx) => {
      const selected = attempt(() => selectApps(asTokens(value), source.apps(ctx)));
      return selected.ok ? undefined : selected.error.message;
    },
    when: (ctx) => source.applies(ctx),
  };
}

/** The apps an `apps` answer chose (every app when the question did not apply). */
export function chosenApps<T extends SelectableApp>(value: AnswerValue | undefined, apps: readonly T[]): T[] {
  return value === undefined ? [...apps] : selectApps(asTokens(value), apps);
}

/**
 * The CI files (the bake file's targets, the workflows) name the single-app
 * stages `production` and `development`, which a workspace Dockerfile has
 * not: until they learn per-app targets, `--ci` is a usage error there.
 */
export function refuseCi(answers: Answers, workspace: string): void {
  const ci = answers['ci'];
  if (typeof ci === 'string' && ci !== 'none') throw new UsageError(`--ci is not supported for ${workspace} workspaces yet: run without it.`);
}
