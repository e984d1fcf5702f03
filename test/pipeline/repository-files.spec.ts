import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../lib/config/load';
import { PLAN_DIFF_ACKNOWLEDGEMENTS_FILE } from '../../lib/workflows';

const REPO = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');

describe('.github/dependabot.yml', () => {
  test('keeps the pinned actions, the npm packages and the evaluation requirements current', () => {
    // GIVEN the committed file
    const config = parse(read('.github/dependabot.yml')) as {
      version: number;
      updates: { 'package-ecosystem': string; directory: string; schedule: { interval: string } }[];
    };
    // THEN it is a version 2 file with one entry per ecosystem the repository pins
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => [u['package-ecosystem'], u.directory])).toEqual([
      ['github-actions', '/'],
      ['npm', '/'],
      ['pip', '/evaluation'],
    ]);
    for (const u of config.updates) expect(u.schedule.interval).toBe('weekly');
  });
});

describe('.github/CODEOWNERS', () => {
  /** Owners by path pattern, as GitHub reads the file (the last matching line wins). */
  const rules = read('.github/CODEOWNERS')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/));
  const ownersOf = (path: string) =>
    rules
      .filter(([pattern]) => `/${path}`.startsWith(pattern!.replace(/\/$/, '/')))
      .at(-1)
      ?.slice(1);

  test("the acknowledgement file and the workflows belong to the environments' reviewers", () => {
    // GIVEN the reviewers the shipped config names for manual approvals
    const reviewers = Object.values(loadConfig(join(REPO, 'config/environments.yaml')).environments)
      .flatMap((e) => e.pipeline.reviewers)
      .map((r) => `@${r}`);
    expect(reviewers.length).toBeGreaterThan(0);
    // THEN every protected path is owned, by reviewers only
    for (const path of [
      PLAN_DIFF_ACKNOWLEDGEMENTS_FILE,
      '.github/workflows/deploy.yml',
      'lib/workflows/actions.ts',
      // the rules that decide what blocks, so a pull request cannot soften its own check
      'lib/plan-diff/rules/index.ts',
      // what the rules read: which types are stateful, which arguments force replacement
      'constructs/core/data/resource-types.json',
      'bin/plan-diff.ts',
      'package.json',
    ]) {
      const owners = ownersOf(path);
      expect([path, owners?.length ?? 0]).not.toEqual([path, 0]);
      for (const owner of owners!) expect([path, reviewers]).toEqual([path, expect.arrayContaining([owner])]);
    }
  });

  test('the acknowledgement file exists and holds no acknowledgement yet', () => {
    const lines = read(PLAN_DIFF_ACKNOWLEDGEMENTS_FILE).split('\n');
    expect(lines.filter((l) => l.startsWith('plan-diff-allow:'))).toEqual([]);
  });
});
