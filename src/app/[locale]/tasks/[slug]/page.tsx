import { taskPage } from "../task-page";

export const dynamic = "force-dynamic";

// Every task type's page, /<locale>/tasks/<slug>: the type is looked up in the registry
// (unknown: 404) and its form, declared in its folder (`form` in defineTaskType), is loaded
// for this page only. No file here names a type.
const page = taskPage();
export const generateMetadata = page.generateMetadata;
export default page.Page;
