#!/usr/bin/env node
// A stand-in for libgpiod v2's gpiodetect, gpioset, gpioget and gpiomon, over a simulated chip kept in
// files, for machines without GPIO (this kernel has no gpio-sim: no configfs, no GPIO subsystem).
// It speaks the subset of the real tools' command line the kiosk uses, with their output formats,
// error lines and exit codes (checked against libgpiod 2.2's tools/*.c), and the character
// device's rules: a requested line is held by one process until it exits (the kernel's release on
// close, emulated by an owner file whose process must be alive), another request for it is "Device
// or resource busy", and a chip marked denied cannot be opened ("Permission denied").
//
//   <state>/<chip>/label, lines          the chip (name = directory name)
//   <state>/<chip>/denied                present: opening the chip is refused
//   <state>/<chip>/line<N>               the line's physical level, "0" or "1"
//   <state>/<chip>/line<N>.owner         "pid consumer direction" while a process holds the line
//   usage: node gpio-tool.mjs STATE_DIR TOOL ARGS...
import { existsSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";

const [stateDir, tool, ...args] = process.argv.slice(2);
const chipNames = () =>
  readdirSync(stateDir)
    .filter((name) => name.startsWith("gpiochip"))
    .sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)));

function die(message) {
  process.stderr.write(`${tool}: ${message}\n`);
  process.exit(1);
}

function parse(argv) {
  const options = { chip: null, consumer: tool, activeLow: false, banner: false, toggle: null, format: null };
  const rest = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const value = () => {
      index += 1;
      if (argv[index] === undefined) die(`option '${arg}' requires an argument`);
      return argv[index];
    };
    if (arg === "-c" || arg === "--chip") options.chip = value();
    else if (arg === "-C" || arg === "--consumer") options.consumer = value();
    else if (arg === "-l" || arg === "--active-low") options.activeLow = true;
    else if (arg === "--banner") options.banner = true;
    else if (arg === "-t" || arg === "--toggle") options.toggle = value();
    else if (arg === "-F" || arg === "--format") options.format = value();
    else if (arg === "-b" || arg === "--bias") {
      const bias = value();
      if (!["pull-up", "pull-down", "disabled"].includes(bias)) die(`invalid bias: ${bias}`);
    } else if (arg === "-e" || arg === "--edges") {
      const edges = value();
      if (!["rising", "falling", "both"].includes(edges)) die(`invalid edges: ${edges}`);
    } else if (arg === "--numeric" || arg === "-N") options.numeric = true;
    else if (arg.startsWith("-")) die(`unrecognized option '${arg}'`);
    else rest.push(arg);
  }
  return { options, rest };
}

function chipDir(id) {
  const name = /^\d+$/.test(id) ? `gpiochip${id}` : id.replace(/^\/dev\//, "");
  const dir = join(stateDir, name);
  if (!existsSync(join(dir, "lines"))) die(`cannot find GPIO chip character device '${id}'`);
  return { name, dir };
}

function openChip(id) {
  const chip = chipDir(id);
  if (existsSync(join(chip.dir, "denied"))) die(`unable to open chip '/dev/${chip.name}': Permission denied`);
  return chip;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Requests a line: refused while a live process holds it (a dead holder's request is gone, as on close). */
function request(chip, offset, consumer, direction) {
  const lines = Number(readFileSync(join(chip.dir, "lines"), "utf8"));
  if (!/^\d+$/.test(offset) || Number(offset) >= lines) die(`cannot find line '${offset}'`);
  const owner = join(chip.dir, `line${offset}.owner`);
  if (existsSync(owner)) {
    const pid = Number(readFileSync(owner, "utf8").split(" ")[0]);
    if (alive(pid)) die(`unable to request lines on chip '/dev/${chip.name}': Device or resource busy`);
  }
  writeFileSync(owner, `${process.pid} ${consumer} ${direction}`);
  const level = join(chip.dir, `line${offset}`);
  const release = () => rmSync(owner, { force: true });
  process.once("exit", release);
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
    process.once(signal, () => {
      release();
      process.exit(128 + (signal === "SIGTERM" ? 15 : signal === "SIGINT" ? 2 : 1));
    });
  }
  return {
    read: () => (existsSync(level) ? Number(readFileSync(level, "utf8").trim() === "1") : 0),
    write: (physical) => writeFileSync(level, String(physical)),
    file: level,
  };
}

function period(text) {
  const match = /^(\d+)(us|ms|s|m)?$/.exec(text);
  if (!match) die(`invalid period: ${text}`);
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60000 }[match[2] ?? "ms"];
  return Number(match[1]) * factor;
}

const logical = (physical, activeLow) => (activeLow ? 1 - physical : physical);

function gpiodetect() {
  let failed = false;
  for (const name of chipNames()) {
    const dir = join(stateDir, name);
    if (existsSync(join(dir, "denied"))) {
      process.stderr.write(`gpiodetect: unable to open chip '/dev/${name}': Permission denied\n`);
      failed = true;
      continue;
    }
    const label = readFileSync(join(dir, "label"), "utf8").trim();
    const lines = readFileSync(join(dir, "lines"), "utf8").trim();
    process.stdout.write(`${name} [${label}] (${lines} lines)\n`);
  }
  process.exit(failed ? 1 : 0);
}

function gpioset() {
  const { options, rest } = parse(args);
  if (!options.chip) die("a chip is required (the kiosk always passes -c)");
  if (rest.length !== 1) die("exactly one line=value is supported by this stand-in");
  const [offset, value] = rest[0].split("=");
  const wanted = { 1: 1, active: 1, on: 1, 0: 0, inactive: 0, off: 0 }[value];
  if (wanted === undefined) die(`invalid line value: '${value}'`);
  const line = request(openChip(options.chip), offset, options.consumer, "output");
  let current = wanted;
  line.write(logical(current, options.activeLow));
  if (options.banner) process.stdout.write(`Setting line '${offset}'...\n`);
  const periods = options.toggle ? options.toggle.split(",").map(period) : [];
  if (periods.length === 0 || (periods.length === 1 && periods[0] === 0)) {
    setInterval(() => {}, 1 << 30);
    return;
  }
  let index = 0;
  const next = () => {
    setTimeout(() => {
      current = 1 - current;
      line.write(logical(current, options.activeLow));
      index += 1;
      if (index === periods.length - 1 && periods[index] === 0) process.exit(0);
      if (index === periods.length) index = 0;
      next();
    }, periods[index]);
  };
  next();
}

function gpioget() {
  const { options, rest } = parse(args);
  if (!options.chip) die("a chip is required (the kiosk always passes -c)");
  const values = rest.map((offset) => {
    const line = request(openChip(options.chip), offset, options.consumer, "input");
    return logical(line.read(), options.activeLow);
  });
  process.stdout.write(
    `${values.map((v, i) => (options.numeric ? String(v) : `"${rest[i]}"=${v ? "active" : "inactive"}`)).join(" ")}\n`,
  );
  process.exit(0);
}

function gpiomon() {
  const { options, rest } = parse(args);
  if (!options.chip) die("a chip is required (the kiosk always passes -c)");
  if (rest.length !== 1) die("exactly one line is supported by this stand-in");
  const chip = openChip(options.chip);
  const line = request(chip, rest[0], options.consumer, "input");
  let last = line.read();
  if (options.banner) process.stdout.write(`Monitoring line '${rest[0]}'...\n`);
  // The kernel reports each edge; a file watch may merge fast changes, so the last level is read
  // after each wake-up and any change is one edge in its direction (the debounce reads the level).
  watch(chip.dir, () => {
    const now = line.read();
    if (now === last) return;
    last = now;
    const rising = logical(now, options.activeLow) === 1;
    const format = options.format ?? "%e";
    process.stdout.write(
      `${format
        .replaceAll("%e", rising ? "1" : "2")
        .replaceAll("%E", rising ? "rising" : "falling")
        .replaceAll("%o", rest[0])}\n`,
    );
  });
}

// Unlike the real tools, a stand-in does not outlive the test that started it: when its parent is
// gone (a test process killed before it could stop its pins), it lets its line go and exits.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 250).unref();

const tools = { gpiodetect, gpioset, gpioget, gpiomon };
if (!tools[tool]) die(`unknown tool ${tool}`);
tools[tool]();
