#!/usr/bin/env bash
# The checkout API of cartsim with curl: a happy path, then the classic failures.
#
#   cartsim serve examples/serve-store.json --manual-time &
#   bash examples/serve-walkthrough.sh
#
# CARTSIM_URL says where the server listens (default http://localhost:8321). Each call
# prints its status and body and is checked against the status the API answers there;
# the script stops at the first answer that differs. Time moves only through the
# control API (/cartsim/...), so every run answers the same.
set -euo pipefail

BASE=${CARTSIM_URL:-http://localhost:8321}
API=$BASE/services/data/v63.0/commerce/webstores/west

# call EXPECTED TOKEN METHOD URL [BODY]
call() {
    local expected=$1 token=$2 method=$3 url=$4 body=${5-}
    local args=(-sS -X "$method" -H "Authorization: Bearer $token" -w '\n%{http_code}')
    if [ -n "$body" ]; then
        args+=(-H 'Content-Type: application/json' -d "$body")
    fi
    local out status
    out=$(curl "${args[@]}" "$url")
    status=${out##*$'\n'}
    echo "> $method ${url#"$BASE"}"
    echo "< $status ${out%$'\n'*}"
    if [ "$status" != "$expected" ]; then
        echo "FAILED: $method $url answered $status, expected $expected" >&2
        exit 1
    fi
}

# control PATH [BODY]: the simulator's own API (time, faults, reset)
control() {
    echo "~ POST /cartsim/$1"
    curl -sS -f -o /dev/null -X POST -H 'Content-Type: application/json' -d "${2-{\}}" "$BASE/cartsim/$1"
}

ADDRESS='{"deliveryAddress": {"street": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}, "deliveryMethodId": "Ground"}'

echo "== Happy path: PUT, poll, PATCH, pay, place the order"
control reset
call 202 bob PUT "$API/checkouts"                 # the calculation runs
call 202 bob GET "$API/checkouts/active"          # still running: poll again
control settle                                    # time passes
call 200 bob GET "$API/checkouts/active"          # ready
call 202 bob PATCH "$API/checkouts/active" "$ADDRESS"
control settle
call 200 bob POST "$API/checkouts/active/payments" '{"paymentToken": "tok_visa", "requestType": "Auth"}'
call 201 bob POST "$API/checkouts/active/orders"  # an OrderReferenceNumber; the order follows
control settle
call 200 bob GET "$API/checkouts/active"

echo "== 409: a PATCH while the calculation runs"
control reset
call 202 bob PUT "$API/checkouts"
call 409 bob PATCH "$API/checkouts/active" "$ADDRESS"
control settle
call 202 bob PATCH "$API/checkouts/active" "$ADDRESS"

echo "== 422: a PATCH after payment changes the total (charge and tax)"
control reset
call 202 bob PUT "$API/checkouts"
control settle
call 202 bob PATCH "$API/checkouts/active" "$ADDRESS"
control settle
call 200 bob POST "$API/checkouts/active/payments" '{"requestType": "Auth"}'
call 202 bob PATCH "$API/checkouts/active" '{"deliveryMethodId": "Express"}'
control settle
call 422 bob POST "$API/checkouts/active/orders"  # the authorization no longer adds up
call 200 bob POST "$API/checkouts/active/payments" '{"requestType": "Auth"}'
call 201 bob POST "$API/checkouts/active/orders"

echo "== 412: a guest without contact details"
control reset
call 202 gus PUT "$API/checkouts"
control settle
call 202 gus PATCH "$API/checkouts/active" "$ADDRESS"
control settle
call 200 gus POST "$API/checkouts/active/payments" '{"requestType": "Auth"}'
call 412 gus POST "$API/checkouts/active/orders"
call 200 gus PATCH "$API/checkouts/active" '{"contactInfo": {"email": "gus@example.com"}}'
call 201 gus POST "$API/checkouts/active/orders"

echo "== 401: no token"
call 401 nobody GET "$API/checkouts/active"

echo "All answers were the expected ones."
