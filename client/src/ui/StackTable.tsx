import type { ReactNode } from "react";

/**
 * A data table that scrolls sideways when wide and stacks into labelled rows on a
 * narrow screen (cells carry `data-label`); `columns` are the header texts, in order.
 * With `labelledBy` (the id of its heading) the scroll box is a named region that takes
 * focus, so keyboard users can scroll it.
 */
export function StackTable({ columns, labelledBy, children }: { columns: readonly string[]; labelledBy?: string; children: ReactNode }) {
  const region = labelledBy ? { role: "region", "aria-labelledby": labelledBy, tabIndex: 0 } : {};
  return (
    <div className="table-scroll" {...region}>
      <table className="table table--stack">
        <thead>
          <tr>
            {columns.map((label) => (
              <th scope="col" key={label}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
