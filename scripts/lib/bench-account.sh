# Sourced by the bench scripts: opens a city administrator account on the database the
# environment names (DATABASE_URL or TAIZHANG_SQLITE_PATH) and signs it in on a running server.
#   bench_open_account BIN [ROLE DIVISION]   sets $bench_user and $bench_first_password (default a city administrator of 3505)
#   bench_sign_in BASE_URL JAR        changes the handed-out password, signs in, keeps the cookie in JAR
#   bench_csrf BASE_URL JAR           prints a CSRF token for the session's forms
#   bench_api_token BASE_URL JAR      prints a new API token

bench_open_account() {
  bench_user=bench$(date +%s)$RANDOM
  bench_first_password=$($1 user add --username "$bench_user" --name 基准测试 --role "${2:-city_admin}" --division "${3:-3505}" \
    | sed -n 's/^.*密码：\([^ ]*\).*/\1/p' | head -1)
  [ -n "$bench_first_password" ] || { echo "taizhang user add printed no password" >&2; return 1; }
  bench_password="Bench${RANDOM}x${RANDOM}"
}

bench_csrf() { curl -s -b "$2" -c "$2" "$1/account" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1; }

bench_form_sign_in() {
  local token; token=$(curl -s -b "$2" -c "$2" "$1/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -s -b "$2" -c "$2" -o /dev/null --data-urlencode "username=$bench_user" --data-urlencode "password=$3" \
    --data-urlencode "_csrf=$token" "$1/login"
}

bench_sign_in() {
  rm -f "$2"
  # An account opened from the command line changes its handed-out password first.
  bench_form_sign_in "$1" "$2" "$bench_first_password"
  curl -s -b "$2" -c "$2" -o /dev/null --data-urlencode "currentPassword=$bench_first_password" \
    --data-urlencode "newPassword=$bench_password" --data-urlencode "confirmPassword=$bench_password" \
    --data-urlencode "_csrf=$(bench_csrf "$1" "$2")" "$1/account/password"
  bench_first_password=$bench_password
  bench_form_sign_in "$1" "$2" "$bench_password"
}

bench_api_token() {
  curl -s -b "$2" --data-urlencode "name=bench" --data-urlencode "_csrf=$(bench_csrf "$1" "$2")" "$1/account/tokens" \
    | sed -n 's/.*<span class="secret">\([^<]*\)<.*/\1/p' | head -1
}
