import { PROFILE_DEFAULTS, type ProfileDefault } from './profile-defaults';

/** The README file whose profile table `npm run schema` writes. */
export const README_FILE = 'README.md';

/** Name of the generated README section (`<!-- BEGIN profile-defaults ... -->` ... `<!-- END profile-defaults -->`). */
export const PROFILE_SECTION = 'profile-defaults';

const BEGIN = `<!-- BEGIN ${PROFILE_SECTION} (generated from lib/config/profile-defaults.ts by npm run schema) -->`;
const END = `<!-- END ${PROFILE_SECTION} -->`;

function cell(value: unknown): string {
  return typeof value === 'number' ? value.toLocaleString('en-US') : `\`${String(value)}\``;
}

/** The Markdown table of {@link PROFILE_DEFAULTS}, one row per entry, in table order. */
export function profileDefaultsMarkdown(): string {
  const rows = Object.values(PROFILE_DEFAULTS).map((d: ProfileDefault<unknown>) => {
    const key = d.key === undefined ? 'not configurable' : `\`${d.key}\``;
    return `| ${key} | ${cell(d.development)} | ${cell(d.production)} | ${d.about} |`;
  });
  return ['| key | development | production | what it sets |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

/**
 * `readme` with the generated profile table between its markers replaced by the current one.
 * @throws Error when the markers are missing or out of order.
 */
export function withProfileTable(readme: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin === -1 || end < begin) {
    throw new Error(`${README_FILE} has no "${BEGIN}" ... "${END}" section for the profile defaults`);
  }
  return `${readme.slice(0, begin + BEGIN.length)}\n${profileDefaultsMarkdown()}\n${readme.slice(end)}`;
}
