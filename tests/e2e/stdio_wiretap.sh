#!/usr/bin/env bash
# A stdio MCP server seen through a wiretap: what the client writes is appended to
# $WIRETAP_DIR/in.jsonl, what the server answers to $WIRETAP_DIR/out.jsonl, both unchanged.
#   WIRETAP_DIR=<dir> stdio_wiretap.sh <server> [args...]
set -uo pipefail
: "${WIRETAP_DIR:?WIRETAP_DIR must name a directory}"
tee -a "$WIRETAP_DIR/in.jsonl" | "$@" | tee -a "$WIRETAP_DIR/out.jsonl"
