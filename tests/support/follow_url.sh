#!/bin/sh
# A stand-in browser for login tests: follows the login URL (and its redirect to the local
# callback) like a user who clicked through.
exec curl -sS -L --max-time 20 -o /dev/null "$1"
