#!/usr/bin/env node
// The installed command: runs the compiled entry point (a file of its own, so a fresh install links it before any build).
import "../dist/cli.js";
