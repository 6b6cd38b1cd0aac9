frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["BRM CSAT Trend"] = {
	method: "brm_app.brm_app.dashboard_chart_source.brm_csat_trend.brm_csat_trend.get",
	filters: [],
};
