import { ArrowRightIcon, CoinsIcon, RotateCcwIcon, SparklesIcon } from "lucide-react";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { preload } from "react-dom";
import { BuyButton } from "@/components/billing/buy-button";
import { HeroVideo } from "@/components/hero-video";
import { PricingSection } from "@/components/pricing-section";
import { buttonClass } from "@/components/ui/button";
import { Card, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { PURCHASED_CREDITS_VALIDITY_DAYS, WELCOME_CREDITS, findBundle } from "@/data/credits";
import { Link } from "@/i18n/navigation";
import { env } from "@/lib/env";
import { taskTypes } from "@/services/tasks/registry";

// The hero's loop: the demo generator's scenes in turn, made for it (scripts/render-demo-media.sh),
// with its first frame as the poster so the first paint shows a picture before the video loads.
const HERO_VIDEO = { src: "/demo/hero.mp4", poster: "/demo/hero-poster.jpg", width: 960, height: 540 };

const STEPS = [
  { key: "credits", Icon: CoinsIcon },
  { key: "generate", Icon: SparklesIcon },
  { key: "refund", Icon: RotateCcwIcon },
] as const;

const FAQ = ["credits", "failed", "expire", "rights", "refund"] as const;

export default async function HomePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  // The poster is the page's largest paint (LCP) on a phone: a high-priority preload in <head>
  // fetches it with the stylesheet instead of after the HTML's scripts are parsed.
  preload(HERO_VIDEO.poster, { as: "image", fetchPriority: "high" });
  const t = await getTranslations("home");
  const typeT = await getTranslations("taskTypes");
  const types = taskTypes();
  const first = types[0];
  return (
    <>
      <section className="border-b bg-gradient-to-b from-accent/60 to-background">
        <div className="mx-auto grid max-w-6xl items-center gap-10 px-4 py-16 lg:grid-cols-2 lg:py-24">
          <div>
            <p className="text-sm font-semibold tracking-wide text-primary uppercase dark:text-accent-foreground">{t("hero.eyebrow")}</p>
            <h1 className="mt-3 text-4xl font-bold tracking-tight text-balance sm:text-5xl">{t("hero.title")}</h1>
            <p className="mt-4 max-w-2xl text-lg text-muted-foreground">{t("hero.subtitle")}</p>
            <div className="mt-8 flex flex-wrap gap-3">
              <Link href={`/tasks/${first.slug}`} className={buttonClass("primary", "", "lg")} data-testid="hero-cta">
                {t("hero.cta")} <ArrowRightIcon aria-hidden />
              </Link>
              <a href="#pricing" className={buttonClass("outline", "", "lg")}>
                {t("hero.secondary")}
              </a>
            </div>
            <p className="mt-4 text-sm text-muted-foreground">{t(env().EMAIL_VERIFICATION ? "hero.welcomeVerify" : "hero.welcome", { credits: WELCOME_CREDITS })}</p>
          </div>
          <figure className="overflow-hidden rounded-xl border bg-card shadow-lg">
            <HeroVideo {...HERO_VIDEO} label={t("hero.videoLabel")} />
            <figcaption className="flex items-start gap-2 px-4 py-2 text-xs text-muted-foreground" data-testid="hero-caption">
              <SparklesIcon className="mt-0.5 size-3.5 shrink-0" aria-hidden />
              {t("hero.videoCaption")}
            </figcaption>
          </figure>
        </div>
      </section>

      <section className="mx-auto max-w-6xl px-4 py-16" aria-labelledby="generators-title">
        <h2 id="generators-title" className="text-3xl font-bold tracking-tight">
          {t("generators.title")}
        </h2>
        <p className="mt-2 text-muted-foreground">{t("generators.subtitle")}</p>
        {/* One card per registered type; a row is shared by the cards in it, so any number of
            types fills its rows without empty cells. */}
        <ul className="mt-8 flex flex-wrap gap-4" data-testid="generators">
          {types.map((d) => {
            const name = typeT(`${d.type}.name`);
            return (
              <li key={d.type} className="min-w-64 flex-1 basis-64" data-testid={`generator-${d.slug}`}>
                <Card className="h-full">
                  <CardHeader>
                    <CardTitle className="text-lg">{name}</CardTitle>
                    <CardDescription>{typeT(`${d.type}.description`)}</CardDescription>
                  </CardHeader>
                  <CardFooter className="mt-auto justify-between gap-2">
                    <span className="text-sm text-muted-foreground">{t("generators.from", { credits: d.pricing.minCredits })}</span>
                    <Link href={`/tasks/${d.slug}`} className={buttonClass("outline", "", "sm")} aria-label={t("generators.open", { name })}>
                      <ArrowRightIcon aria-hidden />
                    </Link>
                  </CardFooter>
                </Card>
              </li>
            );
          })}
        </ul>
      </section>

      <section className="border-y bg-muted/40" aria-labelledby="how-title">
        <div className="mx-auto max-w-6xl px-4 py-16">
          <h2 id="how-title" className="text-3xl font-bold tracking-tight">
            {t("features.title")}
          </h2>
          <ol className="mt-8 grid gap-6 sm:grid-cols-3">
            {STEPS.map(({ key, Icon }, i) => (
              <li key={key} className="flex gap-4">
                <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-primary text-primary-foreground" aria-hidden>
                  <Icon className="size-5" />
                </span>
                <div>
                  <h3 className="font-semibold">
                    <span className="sr-only">{i + 1}. </span>
                    {t(`features.${key}.title`)}
                  </h3>
                  <p className="mt-1 text-sm text-muted-foreground">{t(`features.${key}.body`)}</p>
                </div>
              </li>
            ))}
          </ol>
        </div>
      </section>

      {/* Signed-out buyers are sent to sign in; without Stripe keys the button explains the setup. */}
      <PricingSection action={(id) => <BuyButton bundle={id} credits={findBundle(id)!.credits} />} />

      <section className="mx-auto max-w-3xl px-4 py-16" aria-labelledby="faq-title">
        <h2 id="faq-title" className="text-3xl font-bold tracking-tight">
          {t("faq.title")}
        </h2>
        <div className="mt-6 divide-y rounded-xl border" data-testid="faq">
          {FAQ.map((key) => (
            <details key={key} className="group px-4 [&_summary::-webkit-details-marker]:hidden">
              <summary className="focus-ring flex cursor-pointer list-none items-center justify-between gap-4 rounded-md py-4 font-medium">
                {t(`faq.items.${key}.q`)}
                <span className="text-muted-foreground transition-transform group-open:rotate-45" aria-hidden>
                  +
                </span>
              </summary>
              <p className="pb-4 text-sm text-muted-foreground">{t(`faq.items.${key}.a`, { days: PURCHASED_CREDITS_VALIDITY_DAYS })}</p>
            </details>
          ))}
        </div>
      </section>

      <section className="mx-auto max-w-6xl px-4 pb-8">
        <div className="rounded-2xl bg-primary px-6 py-12 text-center text-primary-foreground">
          <h2 className="text-3xl font-bold tracking-tight">{t("cta.title")}</h2>
          <p className="mt-2 opacity-90">{t("cta.body", { credits: WELCOME_CREDITS })}</p>
          <Link href={`/tasks/${first.slug}`} className={buttonClass("secondary", "mt-6", "lg")}>
            {t("hero.cta")}
            <ArrowRightIcon aria-hidden />
          </Link>
        </div>
      </section>
    </>
  );
}
