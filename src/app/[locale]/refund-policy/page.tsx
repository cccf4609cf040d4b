import { legalRoute } from "@/components/legal-page";

const route = legalRoute("refund");
export const generateMetadata = route.generateMetadata;
export default route.Page;
