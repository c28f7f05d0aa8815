import { describe, expect, it } from 'vitest';
import { chosenApps, parseAppList, selectApps, workspaceAppsQuestion, type SelectableApp } from '../../../src/stacks/workspace-apps.js';
import type { QuestionContext } from '../../../src/stacks/types.js';

const apps: SelectableApp[] = [
  { target: 'docs', dir: 'apps/docs', name: '@acme/docs' },
  { target: 'web', dir: 'apps/web', name: 'web-app' },
];

describe('parseAppList', () => {
  it('normalises names and folders', () => {
    expect(parseAppList(' web , ./apps/docs/ ,@acme/admin')).toEqual(['web', 'apps/docs', '@acme/admin']);
  });
  it.each([
    ['', /at least one app/],
    ['web,,docs', /empty app name/],
    ['web,web', /twice/],
    ['../outside', /not an app name or a folder/],
    ['apps/../x', /not an app name or a folder/],
    ['web docs', /not an app name/],
    ['$(id)', /not an app name/],
    ['/abs/path', /not an app name/],
  ])('refuses %j', (raw, why) => {
    expect(() => parseAppList(raw)).toThrow(why);
  });
});

describe('selectApps', () => {
  it('accepts targets, folders and package names, in workspace order', () => {
    expect(selectApps(['web', 'apps/docs'], apps).map((a) => a.target)).toEqual(['docs', 'web']);
    expect(selectApps(['@acme/docs'], apps).map((a) => a.target)).toEqual(['docs']);
  });
  it('names the apps there are when a token matches none', () => {
    expect(() => selectApps(['admin'], apps)).toThrow(/"admin", which is not an app of this workspace; the apps are docs \(apps\/docs\), web \(apps\/web\)/);
  });
  it('refuses the same app named twice by different tokens', () => {
    expect(() => selectApps(['web', 'apps/web'], apps)).toThrow(/apps\/web twice/);
  });
  it('refuses an ambiguous token', () => {
    const clash = [...apps, { target: 'web2', dir: 'x/web2', name: 'web' }];
    expect(() => selectApps(['web'], clash)).toThrow(/names several apps/);
  });
});

describe('workspaceAppsQuestion', () => {
  const ctx: QuestionContext<unknown> = { mode: 'existing', answers: {}, detection: { existing: true, values: {}, facts: {}, notes: [] } };
  const question = workspaceAppsQuestion({ apps: () => apps, applies: () => true });
  it('defaults to every app and checks against detection', () => {
    expect(question.defaultValue(ctx)).toEqual(['docs', 'web']);
    expect(question.fits?.(['web'], ctx)).toBeUndefined();
    expect(question.fits?.(['nope'], ctx)).toMatch(/not an app of this workspace/);
  });
  it('chosenApps takes every app when the question did not apply', () => {
    expect(chosenApps(undefined, apps)).toHaveLength(2);
    expect(chosenApps('apps/web', apps).map((a) => a.dir)).toEqual(['apps/web']);
  });
});
