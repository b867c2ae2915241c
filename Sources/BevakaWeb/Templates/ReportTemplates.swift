/// The printable report: the boards' report, finance's deduction list, the care-referral
/// statistics. In the pages' layout (the menu and the skip link are left out of print by
/// the shared style's `@media print`), one table per part of the report.
enum ReportTemplates {
    static let report = """
        {{<layout}}
        {{$title}}{{title}}{{/title}}
        {{$content}}
        <h1>{{title}}</h1>
        <p>Avser: {{scope}}</p>
        {{#tables}}
        <h2 id="{{id}}">{{title}}</h2>
        {{^hasRows}}<p>Inget att redovisa för perioden.</p>{{/hasRows}}
        {{#hasRows}}
        <table class="report">
        <caption>{{title}}, {{scope}}</caption>
        <thead><tr>{{#columns}}<th scope="col">{{title}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}{{#number}}<td class="n">{{text}}</td>{{/number}}{{^number}}<td>{{text}}</td>{{/number}}{{/cells}}</tr>
        {{/rows}}
        </tbody>
        </table>
        {{#cut}}<p>{{cut}} <a href="{{csv}}">Hämta hela rapporten som CSV</a>.</p>{{/cut}}
        {{/hasRows}}
        {{/tables}}
        {{/content}}
        {{/layout}}
        """
}
