export * from "./conversations";
export * from "./reply";
export { chatProvider, type ChatProvider, type ChatEvent, type ChatTurn } from "./providers";
export { creditsFor, holdFor } from "./pricing";
