import type { ReactNode } from "react";

/**
 * A data table that scrolls sideways when wide and stacks into labelled rows on a
 * narrow screen (cells carry `data-label`); `columns` are the header texts, in order.
 */
export function StackTable({ columns, children }: { columns: readonly string[]; children: ReactNode }) {
  return (
    <div className="table-scroll">
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
