import { TextToImageForm } from "@/services/tasks/types/text-to-image/form";
import { taskPage } from "../task-page";

export const dynamic = "force-dynamic";

const page = taskPage("taskTypes.text_to_image.page", TextToImageForm);
export const generateMetadata = page.generateMetadata;
export default page.Page;
