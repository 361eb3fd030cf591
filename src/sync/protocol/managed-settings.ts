import { z } from "zod";
import { uiConfigSchema } from "../../ui/config.js";
import { syncConfigSchema } from "../config.js";
import { LOG_LEVELS } from "./command-args.js";

const positiveMinor = z
  .number()
  .int()
  .positive()
  .refine(Number.isSafeInteger, "a whole number of minor units");

/**
 * The settings central may manage through a desired configuration, by their path in the kiosk's
 * configuration file. Anything else stays in the kiosk's own file (its identity, hardware, broker
 * account and keys are never pushed). Central refuses a desired configuration that fails this
 * schema; a kiosk merges the settings over its file and validates the whole before running it.
 */
export const managedSettingsSchema = z
  .strictObject({
    "log.level": z.enum(LOG_LEVELS).optional(),
    "studio.name": z.string().min(1).max(80).optional(),
    "limits.maxAmountMinor": positiveMinor.optional(),
    "limits.selfService.allowPartial": z.boolean().optional(),
    "limits.selfService.minPartialMinor": positiveMinor.optional(),
    "ui.idleTimeoutSeconds": uiConfigSchema.shape.idleTimeoutSeconds.unwrap().optional(),
    "sync.telemetryIntervalSeconds": syncConfigSchema.shape.telemetryIntervalSeconds.unwrap().optional(),
  })
  .superRefine((settings, context) => {
    const min = settings["limits.selfService.minPartialMinor"];
    const max = settings["limits.maxAmountMinor"];
    if (min !== undefined && max !== undefined && min > max) {
      context.addIssue({
        code: "custom",
        path: ["limits.selfService.minPartialMinor"],
        message: "is larger than limits.maxAmountMinor",
      });
    }
  });

export type ManagedSettings = z.infer<typeof managedSettingsSchema>;

/** Every managed path, for documentation and the dashboard's editor. */
export const MANAGED_SETTING_PATHS = Object.keys(managedSettingsSchema.shape) as (keyof ManagedSettings)[];
