/** @jest-environment jsdom */
import { act, fireEvent, screen, within } from "@testing-library/react";
import { ProblemError } from "../../src/taskpane/services";
import { FilterEditorView } from "../../src/taskpane/views/filters/FilterEditorView";
import { fakeServices, renderPane } from "./helpers";

async function openNew(services = fakeServices()) {
  renderPane(<FilterEditorView onDone={jest.fn()} />, services);
  await screen.findByText("Jo's clients");
  fireEvent.click(screen.getByTestId("filter-add"));
  await screen.findByTestId("filter-form");
  return services;
}

const row = (n: number) => screen.getByRole("group", { name: `Criterion ${n}` });

describe("FilterEditorView", () => {
  it("lists the firm's filters with edit and delete", async () => {
    renderPane(<FilterEditorView onDone={jest.fn()} />);
    const list = await screen.findByRole("list", { name: "Filters" });
    expect(within(list).getByRole("button", { name: "Edit Jo's clients" })).toBeTruthy();
    expect(within(list).getByRole("button", { name: "Delete Jo's clients" })).toBeTruthy();
  });

  it("shows validateFilter's messages next to the name and the criterion, and saves nothing", async () => {
    const services = await openNew();
    const create = jest.spyOn(services.practice, "createFilter");
    // No name, and a single-value criterion with an empty value.
    await act(async () => fireEvent.click(screen.getByTestId("filter-save")));
    expect(screen.getByText("A filter needs a name.")).toBeTruthy();
    expect(within(row(1)).getByTestId("criterion-error").textContent).toContain("The value is empty.");
    expect(create).not.toHaveBeenCalled();
  });

  it("checks dates and ranges", async () => {
    await openNew();
    fireEvent.change(screen.getByRole("textbox", { name: "Filter name" }), { target: { value: "Birthdays" } });
    fireEvent.change(within(row(1)).getByRole("combobox", { name: "Field" }), { target: { value: "birthday" } });
    fireEvent.change(within(row(1)).getByRole("combobox", { name: "Method" }), { target: { value: "range" } });
    fireEvent.change(within(row(1)).getByRole("textbox", { name: "From" }), { target: { value: "2026-13-01" } });
    await act(async () => fireEvent.click(screen.getByTestId("filter-save")));
    expect(within(row(1)).getByTestId("criterion-error").textContent).toContain('"2026-13-01" is not a date (YYYY-MM-DD).');
  });

  it("creates a filter from criteria rows with 'must match one or more'", async () => {
    const services = await openNew();
    const create = jest.spyOn(services.practice, "createFilter");
    fireEvent.change(screen.getByRole("textbox", { name: "Filter name" }), { target: { value: "Sam's clients" } });
    fireEvent.click(screen.getByRole("radio", { name: "Must match one or more criteria" }));
    fireEvent.change(within(row(1)).getByRole("textbox", { name: "Value" }), { target: { value: "s2" } });
    fireEvent.click(screen.getByRole("button", { name: "Add criterion" }));
    fireEvent.change(within(row(2)).getByRole("combobox", { name: "Field" }), { target: { value: "kind" } });
    fireEvent.change(within(row(2)).getByRole("combobox", { name: "Method" }), { target: { value: "list" } });
    fireEvent.change(within(row(2)).getByRole("textbox", { name: "Values (one per line)" }), { target: { value: "client\nstandalone\n" } });
    await act(async () => fireEvent.click(screen.getByTestId("filter-save")));
    expect(create).toHaveBeenCalledWith({
      name: "Sam's clients",
      match: "any",
      criteria: [
        { field: "partnerId", method: "equals", values: ["s2"] },
        { field: "kind", method: "list", values: ["client", "standalone"] },
      ],
    });
    expect(await screen.findByText("Sam's clients")).toBeTruthy();
  });

  it("shows the API's problem response when it refuses a save", async () => {
    const services = await openNew();
    services.practice.createFilter = async () => {
      throw new ProblemError(422, "The filter is not valid", "A filter with that name already exists.", [
        { path: "name", message: "Choose another name." },
      ]);
    };
    fireEvent.change(screen.getByRole("textbox", { name: "Filter name" }), { target: { value: "Jo's clients" } });
    fireEvent.change(within(row(1)).getByRole("textbox", { name: "Value" }), { target: { value: "s1" } });
    await act(async () => fireEvent.click(screen.getByTestId("filter-save")));
    expect(screen.getByTestId("filter-api-error").textContent).toContain("A filter with that name already exists.");
    expect(screen.getByText("Choose another name.")).toBeTruthy();
    expect(screen.getByTestId("filter-form")).toBeTruthy();
  });

  it("edits and deletes after confirmation", async () => {
    const services = fakeServices();
    renderPane(<FilterEditorView onDone={jest.fn()} />, services);
    fireEvent.click(await screen.findByRole("button", { name: "Edit Jo's clients" }));
    expect((screen.getByRole("textbox", { name: "Filter name" }) as HTMLInputElement).value).toBe("Jo's clients");
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    fireEvent.click(await screen.findByRole("button", { name: "Delete Jo's clients" }));
    const dialog = await screen.findByRole("dialog");
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Delete" })));
    expect(services.filters).toHaveLength(0);
    expect(await screen.findByText("No filters yet.")).toBeTruthy();
  });
});
