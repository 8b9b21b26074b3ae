// The calculator form: keeps the household as Alpine state, posts it as the catalogue's household JSON and
// shows either the result cards (HTML from the server) or each API field error beside its input.
document.addEventListener("alpine:init", () => {
  const PREFIX = { mother: "m", father: "f", child: "c", grandparent: "g", other: "o" };

  const newMember = (relation, id, birthOrder) => ({
    id, relation, sex: relation === "father" ? "M" : relation === "mother" ? "F" : "",
    birth_date: "", hukou: "", employment: "", medical_insurance: "", maternity_insurance: false,
    employer_avg_monthly_wage: "", birth_order: birthOrder || "", care_type: "", care_public: false,
    care_inclusive: false, care_registered: false, deceased: false, disability: false, orphan: false,
    hukou_type: "", death_date: "", disability_grade: "", adopted: false, cannot_self_care: false, hospitalized: false,
  });

  const newEvent = (type) => ({
    type, child: "", date: "", babies: 1, dystocia: false, in_policy_delivery_cost: "",
    new_commercial: true, home_number: 1, deed_tax_paid: "", monthly_rent: "",
  });

  const num = (v) => (v === "" || v === null || v === undefined ? undefined : Number(v));
  const put = (obj, key, value) => { if (value !== undefined && value !== "" && !Number.isNaN(value)) obj[key] = value; };

  Alpine.data("calculator", (config) => ({
    jurisdiction: config.jurisdiction || "",
    asOf: config.today,
    members: [],
    events: [],
    family: {
      only_child_certificate: false, rural_two_daughters: false, special_family: "", certificate_date: "",
      lump_sum_received: false,
    },
    lowIncome: false,
    housing: { owns_home: false, public_rental_eligible: false },
    errors: {},
    summary: [],
    busy: false,
    hasResults: false,
    counters: {},

    addMember(relation) {
      const prefix = PREFIX[relation] || "o";
      this.counters[prefix] = (this.counters[prefix] || 0) + 1;
      let id = prefix + this.counters[prefix];
      while (this.members.some((m) => m.id === id)) id = prefix + ++this.counters[prefix];
      const order = relation === "child" ? this.children().length + 1 : "";
      this.members.push(newMember(relation, id, order));
      this.$nextTick(() => document.getElementById(this.fid(`members[${this.members.length - 1}].relation`))?.focus());
    },
    removeMember(i) {
      const id = this.members[i].id;
      this.members.splice(i, 1);
      this.events.forEach((e) => { if (e.child === id) e.child = ""; });
    },
    addEvent(type) {
      const event = newEvent(type);
      if (type === "birth") {
        const last = this.children().at(-1);
        if (last) { event.child = last.id; event.date = last.birth_date; }
      }
      this.events.push(event);
      this.$nextTick(() => document.getElementById(this.fid(`events[${this.events.length - 1}].type`))?.focus());
    },
    removeEvent(j) { this.events.splice(j, 1); },
    children() { return this.members.filter((m) => m.relation === "child"); },
    memberLabel(m) {
      const same = this.members.filter((x) => x.relation === m.relation);
      const name = config.relations[m.relation] || m.relation;
      return same.length > 1 ? `${name} ${same.indexOf(m) + 1}` : name;
    },
    pickChild(event) {
      const child = this.members.find((m) => m.id === event.child);
      if (child && !event.date) event.date = child.birth_date;
    },

    // Input ids are derived from the API's field paths, so an error finds its input.
    fid(path) { return "f-" + path.replace(/[^A-Za-z0-9_]+/g, "-"); },
    err(path) { return this.errors[path] || ""; },

    household() {
      const members = this.members.map((m) => {
        const out = { id: m.id, relation: m.relation };
        put(out, "sex", m.sex);
        put(out, "birth_date", m.birth_date);
        put(out, "hukou", m.hukou.trim());
        if (m.relation === "child") {
          put(out, "birth_order", num(m.birth_order));
          if (m.care_type) {
            out.care = { type: m.care_type };
            if (m.care_type === "nursery" || m.care_type === "kindergarten") {
              Object.assign(out.care, { public: m.care_public, inclusive: m.care_inclusive, registered: m.care_registered });
            }
          }
          if (m.orphan) out.orphan = true;
          if (m.adopted) out.adopted = true;
        } else {
          if (m.cannot_self_care) out.cannot_self_care = true;
          put(out, "employment", m.employment);
          put(out, "medical_insurance", m.medical_insurance);
          if (m.sex === "F") out.maternity_insurance = m.maternity_insurance;
          if (m.employment === "employee") put(out, "employer_avg_monthly_wage", num(m.employer_avg_monthly_wage));
        }
        put(out, "hukou_type", m.hukou_type);
        if (m.deceased) {
          out.deceased = true;
          put(out, "death_date", m.death_date);
        }
        if (m.disability) {
          out.disability = true;
          put(out, "disability_grade", num(m.disability_grade));
        }
        if (m.hospitalized) out.hospitalized = true;
        return out;
      });
      const events = this.events.map((e) => {
        const out = { type: e.type };
        if (e.type === "birth") {
          put(out, "child", e.child);
          put(out, "date", e.date);
          put(out, "babies", num(e.babies));
          out.dystocia = e.dystocia;
          put(out, "in_policy_delivery_cost", num(e.in_policy_delivery_cost));
        } else if (e.type === "home_purchase") {
          put(out, "date", e.date);
          out.new_commercial = e.new_commercial;
          put(out, "home_number", num(e.home_number));
          put(out, "deed_tax_paid", num(e.deed_tax_paid));
        } else if (e.type === "renting") {
          put(out, "monthly_rent", num(e.monthly_rent));
        }
        return out;
      });
      return {
        jurisdiction: this.jurisdiction,
        members,
        family_planning: this.familyPlanning(),
        low_income: this.lowIncome,
        housing: { ...this.housing },
        events,
      };
    },

    familyPlanning() {
      const f = this.family;
      const out = {
        only_child_certificate: f.only_child_certificate,
        rural_two_daughters: f.rural_two_daughters,
        special_family: f.special_family || null,
      };
      if (f.only_child_certificate) put(out, "certificate_date", f.certificate_date);
      if (f.special_family === "bereaved" && f.lump_sum_received) out.lump_sum_received = true;
      return out;
    },

    showErrors(list) {
      this.errors = {};
      this.summary = list.map((e) => {
        const field = e.field || "";
        if (field && !this.errors[field]) this.errors[field] = e.message;
        const target = field && document.getElementById(this.fid(field)) ? "#" + this.fid(field) : "";
        return { field, message: e.message, target };
      });
      this.$nextTick(() => this.$refs.summary?.focus());
    },

    async submit() {
      this.errors = {};
      this.summary = [];
      if (!this.jurisdiction) {
        this.showErrors([{ field: "jurisdiction", message: config.messages.chooseCounty }]);
        return;
      }
      this.busy = true;
      try {
        const url = `/calc/results?on=${encodeURIComponent(this.asOf)}`;
        const response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/html" },
          body: JSON.stringify(this.household()),
        });
        if (response.ok) {
          this.$refs.results.innerHTML = await response.text();
          this.hasResults = true;
          this.$nextTick(() => this.$refs.results.querySelector("h2")?.focus());
        } else {
          let list = [];
          try { list = (await response.json()).errors || []; } catch { /* not JSON */ }
          this.showErrors(list.length ? list : [{ field: null, message: config.messages.failed }]);
        }
      } catch {
        this.showErrors([{ field: null, message: config.messages.network }]);
      } finally {
        this.busy = false;
      }
    },
  }));
});
