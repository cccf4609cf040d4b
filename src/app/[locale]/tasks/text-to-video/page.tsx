import { TextToVideoForm } from "@/services/tasks/types/text-to-video/form";
import { taskPage } from "../task-page";

export const dynamic = "force-dynamic";

const page = taskPage("tasks.t2v", TextToVideoForm);
export const generateMetadata = page.generateMetadata;
export default page.Page;
