// The quoting corpus: shared by the quoting tests in plain Node and the real VS Code task runs.

/** Names a user (or a hostile repository) can give files, jobs and targets. */
export const HOSTILE_NAMES = [
  'my job.nomad',
  "it's.nomad",
  'say "hi".nomad',
  '$HOME.nomad',
  '${PATH}.nomad',
  'x;rm -rf ~.nomad',
  '`id`.nomad',
  '$(id).nomad',
  'a&b|c>d<e.nomad',
  '*.nomad',
  '~user',
  '#hash',
  'what?',
  'brace{a,b}.nomad',
  'glob[ab]',
  '!bang',
  '^caret',
  'back\\slash',
  'ünï cödé 😀.nomad',
  '-dash-first',
  "mixed '\"$`;\\ all",
];
