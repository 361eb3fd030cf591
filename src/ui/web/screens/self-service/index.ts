import type { SelfServiceScreen } from "../../../flows/self-service/screens.js";
import type { ScreenComponents } from "../../view.js";
import { AmountScreen } from "./amount.js";
import { AttractScreen } from "./attract.js";
import { FindScreen } from "./find.js";
import { MethodScreen } from "./method.js";
import { PhoneScreen } from "./phone.js";
import { ReceiptScreen } from "./receipt.js";
import { SeeStaffScreen } from "./see-staff.js";
import { SummaryScreen } from "./summary.js";
import { SwipeScreen } from "./swipe.js";
import { ThankYouScreen } from "./thank-you.js";

export const selfServiceScreens: ScreenComponents<SelfServiceScreen> = {
  "self.attract": AttractScreen,
  "self.find": FindScreen,
  "self.summary": SummaryScreen,
  "self.amount": AmountScreen,
  "self.method": MethodScreen,
  "self.see-staff": SeeStaffScreen,
  "self.swipe": SwipeScreen,
  "self.phone": PhoneScreen,
  "self.receipt": ReceiptScreen,
  "self.thank-you": ThankYouScreen,
};
