#!/usr/bin/env bash
# Runs one cpims command as a one-off Fargate task and exits with its exit code, e.g.
#   scripts/cpims-ecs.sh tenant create --code ke --name Kenya --locales en,sw
#   scripts/cpims-ecs.sh migrate
# The arguments reach cpims exactly as given (a JSON command override: no shell, no
# re-quoting). Needs the AWS CLI and, from `terraform output ecs_run_task`:
#   CPIMS_ECS_CLUSTER CPIMS_ECS_TASK_DEFINITION CPIMS_ECS_CONTAINER
#   CPIMS_ECS_SUBNETS CPIMS_ECS_SECURITY_GROUPS (comma-separated)
# Output goes to the container's CloudWatch log group.
set -euo pipefail

: "${CPIMS_ECS_CLUSTER:?}" "${CPIMS_ECS_TASK_DEFINITION:?}" "${CPIMS_ECS_CONTAINER:?}"
: "${CPIMS_ECS_SUBNETS:?}" "${CPIMS_ECS_SECURITY_GROUPS:?}"
[[ $# -gt 0 ]] || { echo "usage: $0 <cpims arguments...>" >&2; exit 2; }

json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

command_json=''
for arg in "$@"; do
  command_json+="${command_json:+,}$(json_string "$arg")"
done
overrides="{\"containerOverrides\":[{\"name\":$(json_string "$CPIMS_ECS_CONTAINER"),\"command\":[$command_json]}]}"
network="awsvpcConfiguration={subnets=[$CPIMS_ECS_SUBNETS],securityGroups=[$CPIMS_ECS_SECURITY_GROUPS],assignPublicIp=DISABLED}"

task=$(aws ecs run-task \
  --cluster "$CPIMS_ECS_CLUSTER" \
  --task-definition "$CPIMS_ECS_TASK_DEFINITION" \
  --launch-type FARGATE \
  --network-configuration "$network" \
  --overrides "$overrides" \
  --started-by cpims-ecs.sh \
  --query 'tasks[0].taskArn' --output text)
[[ -n "$task" && "$task" != "None" ]] || { echo "cpims-ecs: the task did not start" >&2; exit 1; }
echo "cpims-ecs: started $task: cpims $*" >&2

aws ecs wait tasks-stopped --cluster "$CPIMS_ECS_CLUSTER" --tasks "$task"
code=$(aws ecs describe-tasks --cluster "$CPIMS_ECS_CLUSTER" --tasks "$task" \
  --query "tasks[0].containers[?name=='$CPIMS_ECS_CONTAINER'].exitCode | [0]" --output text)
if [[ "$code" != "0" ]]; then
  reason=$(aws ecs describe-tasks --cluster "$CPIMS_ECS_CLUSTER" --tasks "$task" --query 'tasks[0].stoppedReason' --output text)
  echo "cpims-ecs: cpims $1 failed (exit code $code; $reason)" >&2
  exit 1
fi
echo "cpims-ecs: cpims $1 succeeded" >&2
