"use client";

// Revokes one of the user's API keys through POST /api/admin/keys/{id}/revoke (audited);
// the page re-renders from the server afterwards.
import { useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { useRouter } from "@/i18n/client-navigation";
import { apiFetch } from "@/lib/http/api-client";

export function ApiKeyRevoke({ keyId, name }: { keyId: string; name: string }) {
  const t = useTranslations("admin.apiKeys");
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    const reason = window.prompt(t("revokeReason", { name }));
    if (reason === null) return;
    setBusy(true);
    setError(null);
    try {
      const r = await apiFetch(`/api/admin/keys/${encodeURIComponent(keyId)}/revoke`, { method: "POST", json: reason.trim() ? { reason } : {} });
      if (r.ok) router.refresh();
      else setError(r.message || String(r.status));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="flex items-center gap-2">
      <Button type="button" variant="secondary" size="sm" disabled={busy} onClick={revoke} data-testid="admin-revoke-key">
        {t("revoke")}
      </Button>
      {error && <span className="text-xs text-destructive">{error}</span>}
    </span>
  );
}
