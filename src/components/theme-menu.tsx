"use client";

import { MonitorIcon, MoonIcon, SunIcon } from "lucide-react";
import { useState } from "react";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { setTheme, storedTheme, type ThemeChoice } from "@/lib/theme";
import { ThemeButton, type ThemeToggleProps } from "./theme-toggle";

/** The theme menu, loaded by ThemeToggle on first use (see there); it opens as it mounts. */
export function ThemeMenu(props: ThemeToggleProps) {
  const { labels } = props;
  const [theme, setChoice] = useState<ThemeChoice>(storedTheme);
  const choose = (value: string) => {
    setChoice(value as ThemeChoice);
    setTheme(value as ThemeChoice);
  };
  return (
    <DropdownMenu defaultOpen>
      <DropdownMenuTrigger asChild>
        <ThemeButton {...props} />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuRadioGroup value={theme} onValueChange={choose}>
          <DropdownMenuRadioItem value="light" data-testid="theme-light">
            <SunIcon aria-hidden /> {labels.light}
          </DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="dark" data-testid="theme-dark">
            <MoonIcon aria-hidden /> {labels.dark}
          </DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="system" data-testid="theme-system">
            <MonitorIcon aria-hidden /> {labels.system}
          </DropdownMenuRadioItem>
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
