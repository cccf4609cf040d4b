// npm run bench — every benchmark, each printing figures as ratios against a
// baseline measured in the same run.
import os from "node:os";
import { runChatBench } from "./chat";
import { runHoldsBench } from "./holds";
import { runHttpBench } from "./http";
import { runLedgerBench } from "./ledger";
import { runStorageBench } from "./storage";
import { runSweeperBench } from "./sweeper";
import { runUploadBench } from "./uploads";

async function main() {
  console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  await runStorageBench();
  await runUploadBench();
  await runLedgerBench();
  await runHoldsBench();
  await runHttpBench();
  await runChatBench();
  await runSweeperBench();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
