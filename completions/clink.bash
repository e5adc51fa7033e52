# bash completion for clink (generated from the command tree; do not edit)
_clink() {
  local cur path word words
  cur="${COMP_WORDS[COMP_CWORD]}"
  path="clink"
  for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$word" in -*) continue ;; esac
    if [[ " $(_clink_words "$path") " == *" $word "* ]]; then path="${path}_${word//-/_}"; fi
  done
  [[ "$path" == clink ]] || path="${path#clink_}"
  COMPREPLY=( $(compgen -W "$(_clink_words "$path")" -- "$cur") )
}
_clink_words() {
  local words=""
  case "$1" in
    clink) words="cluster link mirror worker apply completion --help --no-color --output --verbose --version -o -v" ;;
    cluster) words="add list describe use delete --help --no-color --output --verbose --version -o -v" ;;
    cluster_add) words="--bootstrap-server --config --config-file --help --no-validate --no-color --output --verbose --version -o -v" ;;
    cluster_list) words="--help --no-color --output --verbose --version -o -v" ;;
    cluster_describe) words="--help --no-color --output --verbose --version -o -v" ;;
    cluster_use) words="--help --no-color --output --verbose --version -o -v" ;;
    cluster_delete) words="--help --no-color --output --verbose --version -o -v" ;;
    link) words="create delete describe list configuration task --help --no-color --output --verbose --version -o -v" ;;
    link_create) words="--cluster --config --config-file --dry-run --help --no-start --no-validate --remote-bootstrap-server --remote-cluster --source-bootstrap-server --source-cluster --no-color --output --verbose --version -o -v" ;;
    link_delete) words="--force --help --no-color --output --verbose --version -o -v" ;;
    link_describe) words="--as-spec --help --no-color --output --verbose --version -o -v" ;;
    link_list) words="--help --include-topics --no-color --output --verbose --version -o -v" ;;
    link_configuration) words="list update --help --no-color --output --verbose --version -o -v" ;;
    link_configuration_list) words="--help --no-color --output --verbose --version -o -v" ;;
    link_configuration_update) words="--config --config-file --help --no-start --no-color --output --verbose --version -o -v" ;;
    link_task) words="list --help --no-color --output --verbose --version -o -v" ;;
    link_task_list) words="--help --no-color --output --verbose --version -o -v" ;;
    mirror) words="create describe failover list pause promote resume reverse-and-pause reverse-and-start state-transition-error truncate-and-restore verify --help --no-color --output --verbose --version -o -v" ;;
    mirror_create) words="--config --config-file --help --link --no-start --replication-factor --source-topic --no-color --output --verbose --version -o -v" ;;
    mirror_describe) words="--help --link --watch --no-color --output --verbose --version -o -v" ;;
    mirror_failover) words="--dry-run --help --link --no-color --output --verbose --version -o -v" ;;
    mirror_list) words="--help --link --mirror-status --watch --no-color --output --verbose --version -o -v" ;;
    mirror_pause) words="--dry-run --help --link --no-color --output --verbose --version -o -v" ;;
    mirror_promote) words="--dry-run --help --link --timeout --no-color --output --verbose --version -o -v" ;;
    mirror_resume) words="--dry-run --help --link --no-color --output --verbose --version -o -v" ;;
    mirror_reverse_and_pause) words="--dry-run --help --link --timeout --no-color --output --verbose --version -o -v" ;;
    mirror_reverse_and_start) words="--dry-run --help --link --timeout --no-color --output --verbose --version -o -v" ;;
    mirror_state_transition_error) words="list --help --no-color --output --verbose --version -o -v" ;;
    mirror_state_transition_error_list) words="--help --link --no-color --output --verbose --version -o -v" ;;
    mirror_truncate_and_restore) words="--dry-run --help --include-partitions --link --no-color --output --verbose --version -o -v" ;;
    mirror_verify) words="--help --link --no-color --output --verbose --version -o -v" ;;
    worker) words="start stop status logs run --help --no-color --output --verbose --version -o -v" ;;
    worker_start) words="--help --http-port --no-color --output --verbose --version -o -v" ;;
    worker_stop) words="--help --no-color --output --verbose --version -o -v" ;;
    worker_status) words="--help --no-color --output --verbose --version -o -v" ;;
    worker_logs) words="--follow --help --lines -f --no-color --output --verbose --version -o -v" ;;
    worker_run) words="--help --http-port --no-color --output --verbose --version -o -v" ;;
    apply) words="--dry-run --filename --help --prune --secrets-dir -f --no-color --output --verbose --version -o -v" ;;
    completion) words="--help --no-color --output --verbose --version -o -v" ;;
  esac
  echo "$words"
}
complete -F _clink clink
