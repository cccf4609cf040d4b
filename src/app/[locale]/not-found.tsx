import { useTranslations } from "next-intl";
import { Link } from "@/i18n/navigation";

export default function NotFound() {
  const t = useTranslations("common.errors");
  return (
    <div className="mx-auto max-w-xl px-4 py-20 text-center">
      <p className="text-lg">{t("notFound")}</p>
      <Link href="/" className="mt-4 inline-block text-brand-700 underline">
        {t("backHome")}
      </Link>
    </div>
  );
}
