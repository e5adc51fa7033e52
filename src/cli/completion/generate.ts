/**
 * Shell completion scripts generated from the command tree, so they can never drift from it:
 * completions/ holds the generated copies and a test fails when they are stale.
 */
import type { Command } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Node {
  path: string[];
  subcommands: string[];
  flags: string[];
}

function walk(command: Command, path: string[], out: Node[]): void {
  const flags = command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
  flags.push('--help');
  const subcommands = command.commands.filter((c) => c.name() !== 'help').map((c) => c.name());
  out.push({ path, subcommands, flags: [...new Set(flags)].sort() });
  for (const sub of command.commands) if (sub.name() !== 'help') walk(sub, [...path, sub.name()], out);
}

export function commandNodes(root: Command): Node[] {
  const nodes: Node[] = [];
  walk(root, [], nodes);
  return nodes;
}

export function generateCompletion(shell: Shell, root: Command): string {
  const nodes = commandNodes(root);
  const globalFlags = nodes[0]?.flags ?? [];
  if (shell === 'bash') return bash(nodes, globalFlags);
  if (shell === 'zsh') return zsh(nodes, globalFlags);
  return fish(nodes);
}

function key(path: string[]): string {
  return path.length === 0 ? 'clink' : path.join('_').replace(/-/g, '_');
}

function bash(nodes: Node[], globalFlags: string[]): string {
  const cases = nodes
    .map((n) => `    ${key(n.path)}) words="${[...n.subcommands, ...n.flags, ...globalFlags].filter((v, i, a) => a.indexOf(v) === i).join(' ')}" ;;`)
    .join('\n');
  return `# bash completion for clink (generated from the command tree; do not edit)
_clink() {
  local cur path word words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path="clink"
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$word" in -*) continue ;; esac
    if [[ " $(_clink_words "$path") " == *" $word "* ]]; then path="\${path}_\${word//-/_}"; fi
  done
  [[ "$path" == clink ]] || path="\${path#clink_}"
  COMPREPLY=( $(compgen -W "$(_clink_words "$path")" -- "$cur") )
}
_clink_words() {
  local words=""
  case "$1" in
${cases}
  esac
  echo "$words"
}
complete -F _clink clink
`;
}

function zsh(nodes: Node[], globalFlags: string[]): string {
  const cases = nodes
    .map((n) => `    ${key(n.path)}) words=(${[...n.subcommands, ...n.flags, ...globalFlags].filter((v, i, a) => a.indexOf(v) === i).join(' ')}) ;;`)
    .join('\n');
  return `#compdef clink
# zsh completion for clink (generated from the command tree; do not edit)
_clink() {
  local path=clink word
  local -a words
  for word in \${words[2,CURRENT-1]}; do
    [[ $word == -* ]] && continue
    path="\${path}_\${word//-/_}"
  done
  [[ $path == clink ]] || path=\${path#clink_}
  case $path in
${cases}
  esac
  compadd -- $words
}
_clink "$@"
`;
}

function fish(nodes: Node[]): string {
  const lines = ['# fish completion for clink (generated from the command tree; do not edit)'];
  for (const node of nodes) {
    const condition =
      node.path.length === 0
        ? '__fish_use_subcommand'
        : `__fish_seen_subcommand_from ${node.path[node.path.length - 1]}`;
    for (const sub of node.subcommands) lines.push(`complete -c clink -n '${condition}' -a '${sub}'`);
    for (const flag of node.flags) {
      if (flag.startsWith('--')) lines.push(`complete -c clink -n '${condition}' -l '${flag.slice(2)}'`);
      else lines.push(`complete -c clink -n '${condition}' -s '${flag.slice(1)}'`);
    }
  }
  return lines.join('\n') + '\n';
}
