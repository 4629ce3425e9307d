import { Badge } from "@/components/ui/badge";

const CHANNELS = ["email", "sms", "push"] as const;
const PURPOSES = ["marketing", "personalization", "surveys"] as const;

/** Current consent per channel × purpose. No row means no consent: the default is no. */
export function ConsentGrid({ state }: { state: { channel: string; purpose: string; granted: boolean }[] }) {
  const granted = (c: string, p: string) => state.find((s) => s.channel === c && s.purpose === p)?.granted ?? false;
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Current consent by channel and purpose</caption>
      <thead>
        <tr className="text-left text-slate-500">
          <th scope="col" className="py-1 font-medium">Channel</th>
          {PURPOSES.map((p) => (
            <th key={p} scope="col" className="py-1 font-medium capitalize">
              {p}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {CHANNELS.map((c) => (
          <tr key={c} className="border-t border-slate-100">
            <th scope="row" className="py-1.5 text-left font-medium uppercase text-slate-700">
              {c}
            </th>
            {PURPOSES.map((p) => (
              <td key={p} className="py-1.5">
                {granted(c, p) ? <Badge tone="green">granted</Badge> : <Badge>no consent</Badge>}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
