import type { StaffScreen } from "../../../flows/staff/index.js";
import { addMessages } from "../../i18n.js";
import enStaff from "../../messages/en/staff.json";
import esStaff from "../../messages/es/staff.json";
import type { ScreenComponents } from "../../view.js";
import { AttentionScreen } from "./attention.js";
import { CardSwipeScreen } from "./card-swipe.js";
import { ConfirmScreen } from "./confirm.js";
import { DrawerCountScreen } from "./drawer-count.js";
import { FindPaymentScreen } from "./find-payment.js";
import { HomeScreen } from "./home.js";
import { InvoiceLookupScreen } from "./invoice-lookup.js";
import { KeyedEntryScreen } from "./keyed-entry.js";
import { PaymentFormScreen } from "./payment-form.js";
import { PhoneScreen } from "./phone.js";
import { ReceiptsScreen } from "./receipts.js";
import { ReportScreen } from "./report.js";
import { SavedScreen } from "./saved.js";
import { SignInScreen } from "./sign-in.js";
import { VoidListScreen } from "./void-list.js";

addMessages("en", enStaff);
addMessages("es", esStaff);

export const staffScreens: ScreenComponents<StaffScreen> = {
  "staff.sign-in": SignInScreen,
  "staff.home": HomeScreen,
  "staff.invoice-lookup": InvoiceLookupScreen,
  "staff.payment-form": PaymentFormScreen,
  "staff.card-swipe": CardSwipeScreen,
  "staff.keyed-entry": KeyedEntryScreen,
  "staff.phone": PhoneScreen,
  "staff.saved": SavedScreen,
  "staff.receipts": ReceiptsScreen,
  "staff.find-payment": FindPaymentScreen,
  "staff.void-list": VoidListScreen,
  "staff.attention": AttentionScreen,
  "staff.confirm": ConfirmScreen,
  "staff.report": ReportScreen,
  "staff.drawer-count": DrawerCountScreen,
};
