import { getTranslations } from "next-intl/server";
import { oauthProviders, signIn } from "@/auth";
import { Button } from "@/components/ui/button";

/** GitHub / Google buttons, only for the providers configured in the environment. */
export async function OAuthButtons({ callbackUrl }: { callbackUrl: string }) {
  const providers = oauthProviders();
  if (providers.length === 0) return null;
  const t = await getTranslations("auth.signIn");
  return (
    <div className="space-y-2">
      {providers.map((provider) => (
        <form
          key={provider}
          action={async () => {
            "use server";
            await signIn(provider, { redirectTo: callbackUrl });
          }}
        >
          <Button type="submit" variant="secondary" className="w-full" data-testid={`oauth-${provider}`}>
            {t(provider === "github" ? "withGithub" : "withGoogle")}
          </Button>
        </form>
      ))}
      <p className="text-center text-xs uppercase text-muted-foreground">{t("or")}</p>
    </div>
  );
}
