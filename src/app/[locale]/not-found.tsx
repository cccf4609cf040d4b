import { useTranslations } from "next-intl";
import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";

export default function NotFound() {
  const t = useTranslations("pageErrors");
  return (
    <div className="mx-auto max-w-xl px-4 py-20 text-center">
      <p className="text-lg">{t("notFound")}</p>
      <Link href="/" className={buttonClass("outline", "mt-6")}>
        {t("backHome")}
      </Link>
    </div>
  );
}
