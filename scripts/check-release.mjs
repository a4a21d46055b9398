// `node scripts/check-release.mjs v0.2.0`: the release workflow's gate. The tag must be `v` + package.json's
// version, and CHANGELOG.md must have a dated section for that version. Exits 1 saying what is wrong.
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const tag = (process.argv[2] ?? process.env.GITHUB_REF_NAME ?? '').trim();
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const changelog = readFileSync(`${root}CHANGELOG.md`, 'utf8');
const problems = [];
if (tag !== `v${version}`) problems.push(`the tag is "${tag}", but package.json's version is ${version}: tag v${version}, or change the version`);
const escaped = version.replace(/[.]/g, '\\.');
if (!new RegExp(`^## \\[${escaped}\\] - \\d{4}-\\d\\d-\\d\\d$`, 'm').test(changelog)) problems.push(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`release check: ${problem}`);
  process.exit(1);
}
console.log(`release check: ${tag} matches package.json and CHANGELOG.md`);
