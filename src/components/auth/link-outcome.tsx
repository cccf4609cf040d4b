import { Link } from "@/i18n/navigation";
import { Alert } from "@/components/ui/alert";

/** How a mailed link's one-click form ended: a message and where to go next. */
export function LinkOutcome({ testId, tone, text, href, label }: { testId: string; tone: "success" | "error"; text: string; href: string; label: string }) {
  return (
    <div className="space-y-4" data-testid={testId}>
      <Alert tone={tone}>{text}</Alert>
      <Link href={href} className="text-primary underline">
        {label}
      </Link>
    </div>
  );
}
