"use client";

import { useState } from "react";
import { Alert, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * A secret shown this once (a new API key, a webhook endpoint's signing secret): what it is,
 * the secret itself, a copy button and, when `onDismiss` is given, a way to put it away. The
 * copied mark belongs to the secret it copied, so a newer secret starts uncopied.
 * Test ids: `testId` on the alert, `${testId}-value` on the secret.
 */
export function SecretOnce({
  title,
  hint,
  secret,
  labels,
  onDismiss,
  testId,
}: {
  title: string;
  hint: string;
  secret: string;
  labels: { copy: string; copied: string; dismiss?: string };
  onDismiss?: () => void;
  testId: string;
}) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <Alert tone="success" data-testid={testId}>
      <AlertTitle>{title}</AlertTitle>
      <div className="space-y-2">
        <p>{hint}</p>
        <code className="block break-all rounded bg-muted px-2 py-1 font-mono text-xs" data-testid={`${testId}-value`}>
          {secret}
        </code>
        <div className="flex gap-2">
          <Button type="button" size="sm" variant="outline" onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(secret))}>
            {copied === secret ? labels.copied : labels.copy}
          </Button>
          {onDismiss && (
            <Button type="button" size="sm" variant="ghost" onClick={onDismiss}>
              {labels.dismiss}
            </Button>
          )}
        </div>
      </div>
    </Alert>
  );
}
