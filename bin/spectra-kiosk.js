#!/usr/bin/env node
import { main } from "../dist/kiosk/spectra-kiosk.js";

process.exitCode = await main(process.argv);
