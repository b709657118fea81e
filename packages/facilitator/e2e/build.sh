#!/usr/bin/env bash
# Nothing to build: the package ships compiled JavaScript.
exit 0
