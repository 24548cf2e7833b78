"""The ProgramExplorer in JupyterLab: a student opens a name scope's box into its cluster of ops and
closes it again with the scope's button, as TensorBoard lets them; the notebook is
``fixtures/program_explorer.ipynb`` (see conftest.py for the browser and the server).
"""

NOTEBOOK = "tests/browser/fixtures/program_explorer.ipynb"

# What the explorer's picture shows now: its scope boxes, its clusters, its node count.
JS_PICTURE = """(root) => {
  const svg = root.querySelector('.tg-picture svg');
  const titles = (selector) => [...svg.querySelectorAll(selector)].map(
    g => (g.querySelector('a') || g).getAttribute('xlink:title') || g.textContent.trim());
  return {
    boxes: titles('g.node.tg-scope-box'),
    clusters: titles('g.cluster.tg-scope'),
    nodes: svg.querySelectorAll('g.node').length,
    buttons: [...root.querySelectorAll('.tg-scope-button')].map(b => b.textContent.trim()),
  };
}"""


def picture(root):
    return root.evaluate(JS_PICTURE)


def wait_for(page, root, test):
    """Wait until the explorer's picture passes ``test`` (a JS predicate on it)."""
    page.wait_for_function(f"(root) => {{ const p = ({JS_PICTURE})(root); return {test}; }}",
                           arg=root.element_handle(), timeout=15_000)
    return picture(root)


def test_a_student_opens_and_closes_a_scope(lab, screenshots):
    with lab.notebook(NOTEBOOK) as nb:
        nb.run_all()
        assert not nb.problems()
        assert nb.wait_for_widgets()["drawn"] == 1
        page = nb.page
        root = page.locator(".tg-program-explorer").first
        start = picture(root)
        assert start["boxes"] == ["scope encoder: 24 ops (collapsed)"], start
        assert start["clusters"] == ["head"] and start["nodes"] == 5, start
        assert start["buttons"] == ["▸ encoder (24)", "▾ head (3)"], start
        root.screenshot(path=screenshots / "program-explorer-closed.png")

        root.locator(".tg-scope-button", has_text="encoder").click()
        opened = wait_for(page, root, "p.boxes.length === 0")
        assert opened["clusters"] == ["encoder", "head"] and opened["nodes"] == 28, opened
        assert opened["buttons"][0] == "▾ encoder (24)"
        root.screenshot(path=screenshots / "program-explorer-open.png")

        root.locator(".tg-scope-button", has_text="head").click()
        shut = wait_for(page, root, "p.boxes.length === 1 && p.clusters.length === 1")
        assert shut["boxes"] == ["scope head: 3 ops (collapsed)"], shut
        assert shut["clusters"] == ["encoder"] and shut["buttons"][1] == "▸ head (3)"

        root.locator(".tg-scope-button", has_text="encoder").click()
        both = wait_for(page, root, "p.boxes.length === 2")
        assert both["clusters"] == [] and both["nodes"] == 3, both       # x and two boxes
        root.locator("button", has_text="open all").click()
        every = wait_for(page, root, "p.boxes.length === 0 && p.clusters.length === 2")
        assert every["nodes"] == 28, every
        # the program graph itself (`tf.get_default_graph()` in a cell) is drawn as its picture
        shown = page.locator(".jp-OutputArea-output[data-mime-type='image/svg+xml']")
        assert shown.count() == 1
        assert not nb.page_errors, nb.page_errors
