#!/usr/bin/env bash
# Runs docker/Dockerfile's build stage without a container engine, so that a file the image needs but the
# Dockerfile does not copy (a new module, say) fails here as it would in 'docker build':
#   - copies into an empty directory exactly what the build stage's COPY lines name, from the build context
#     (the repository root), and runs its RUN steps there, in order, with bash -euo pipefail;
#   - skips the apt-get step: the packages it installs (a JDK, Maven, gcc, libmujoco-dev) must be on this
#     machine, as .ci/run makes sure;
#   - then checks that every file the runtime stage copies exists (from the build stage or the context).
# Usage: bash docker/check-build.sh [Dockerfile]   (exit 0 when every step passed)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="${1:-$root/docker/Dockerfile}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One instruction per line: backslash continuations joined, comments and blank lines dropped,
# each line prefixed with its stage number (1 = build, 2 = runtime).
instructions="$(awk '
  /^[[:space:]]*#/ && cont == "" { next }
  {
    line = $0
    if (line ~ /\\[[:space:]]*$/) { sub(/\\[[:space:]]*$/, "", line); cont = cont line " "; next }
    line = cont line; cont = ""
    if (line ~ /^[[:space:]]*$/) next
    if (line ~ /^FROM[[:space:]]/) stage++
    print stage "\t" line
  }' "$dockerfile")"

workdir="$work"
step=0
while IFS=$'\t' read -r stage line; do
  step=$((step + 1))
  keyword="${line%% *}"
  args="${line#* }"
  if [ "$stage" = 1 ]; then
    case "$keyword" in
      WORKDIR)
        workdir="$work$args"; mkdir -p "$workdir" ;;
      COPY)
        read -r -a parts <<< "$args"
        src="${parts[0]}"; dst="${parts[1]}"
        [ -e "$root/$src" ] || { echo "check-build: step $step: COPY $src: no such file in the build context" >&2; exit 1; }
        case "$dst" in /*) target="$work$dst" ;; *) target="$workdir/$dst" ;; esac
        mkdir -p "$(dirname "$target")"
        cp -R "$root/$src" "$target" ;;
      RUN)
        if [[ "$args" == *apt-get* ]]; then
          echo "check-build: step $step: skipped (system packages): ${args:0:80}..."
        else
          echo "check-build: step $step: RUN ${args:0:100}"
          (cd "$workdir" && bash -euo pipefail -c "$args") || { echo "check-build: step $step failed: RUN $args" >&2; exit 1; }
        fi ;;
    esac
  elif [ "$keyword" = COPY ]; then
    read -r -a parts <<< "$args"
    if [[ "${parts[0]}" == --from=build ]]; then
      [ -e "$work${parts[1]}" ] || { echo "check-build: step $step: the runtime stage copies ${parts[1]}, which the build stage did not make" >&2; exit 1; }
    else
      [ -e "$root/${parts[0]}" ] || { echo "check-build: step $step: COPY ${parts[0]}: no such file in the build context" >&2; exit 1; }
    fi
  fi
done <<< "$instructions"
echo "check-build: every build step of $dockerfile passed on exactly the files it copies"
