/*
 * EHF in C: an EHF invoice read into tillit's JSON form and written back byte for byte, the
 * document kind checked, refusals that name the element or field, and NULL arguments.
 */
#include <stdlib.h>

#include "check.h"

/* An invoice as tillit writes it (the corpus document 01-basic-nok), in pieces because ISO C
 * only promises string literals of 4095 bytes. */
static const char *const INVOICE_XML_PARTS[] = {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\n",
    "  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>\n",
    "  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>\n",
    "  <cbc:ID>10001</cbc:ID>\n",
    "  <cbc:IssueDate>2024-03-15</cbc:IssueDate>\n",
    "  <cbc:DueDate>2024-03-29</cbc:DueDate>\n",
    "  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\n",
    "  <cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>\n",
    "  <cbc:BuyerReference>Kari Nordmann</cbc:BuyerReference>\n",
    "  <cac:AccountingSupplierParty>\n",
    "    <cac:Party>\n",
    "      <cbc:EndpointID schemeID=\"0192\">988077917</cbc:EndpointID>\n",
    "      <cac:PartyName>\n",
    "        <cbc:Name>Selger AS</cbc:Name>\n",
    "      </cac:PartyName>\n",
    "      <cac:PostalAddress>\n",
    "        <cbc:StreetName>Storgata 1</cbc:StreetName>\n",
    "        <cbc:CityName>Oslo</cbc:CityName>\n",
    "        <cbc:PostalZone>0155</cbc:PostalZone>\n",
    "        <cac:Country>\n",
    "          <cbc:IdentificationCode>NO</cbc:IdentificationCode>\n",
    "        </cac:Country>\n",
    "      </cac:PostalAddress>\n",
    "      <cac:PartyTaxScheme>\n",
    "        <cbc:CompanyID>NO988077917MVA</cbc:CompanyID>\n",
    "        <cac:TaxScheme>\n",
    "          <cbc:ID>VAT</cbc:ID>\n",
    "        </cac:TaxScheme>\n",
    "      </cac:PartyTaxScheme>\n",
    "      <cac:PartyTaxScheme>\n",
    "        <cbc:CompanyID>Foretaksregisteret</cbc:CompanyID>\n",
    "        <cac:TaxScheme>\n",
    "          <cbc:ID>TAX</cbc:ID>\n",
    "        </cac:TaxScheme>\n",
    "      </cac:PartyTaxScheme>\n",
    "      <cac:PartyLegalEntity>\n",
    "        <cbc:RegistrationName>Selger AS</cbc:RegistrationName>\n",
    "        <cbc:CompanyID schemeID=\"0192\">988077917</cbc:CompanyID>\n",
    "      </cac:PartyLegalEntity>\n",
    "      <cac:Contact>\n",
    "        <cbc:Name>Ola Nordmann</cbc:Name>\n",
    "        <cbc:Telephone>+47 22 33 44 55</cbc:Telephone>\n",
    "        <cbc:ElectronicMail>faktura@selger.no</cbc:ElectronicMail>\n",
    "      </cac:Contact>\n",
    "    </cac:Party>\n",
    "  </cac:AccountingSupplierParty>\n",
    "  <cac:AccountingCustomerParty>\n",
    "    <cac:Party>\n",
    "      <cbc:EndpointID schemeID=\"0192\">923456783</cbc:EndpointID>\n",
    "      <cac:PartyName>\n",
    "        <cbc:Name>Kjøper AS</cbc:Name>\n",
    "      </cac:PartyName>\n",
    "      <cac:PostalAddress>\n",
    "        <cbc:StreetName>Kirkegata 2</cbc:StreetName>\n",
    "        <cbc:CityName>Bergen</cbc:CityName>\n",
    "        <cbc:PostalZone>5003</cbc:PostalZone>\n",
    "        <cac:Country>\n",
    "          <cbc:IdentificationCode>NO</cbc:IdentificationCode>\n",
    "        </cac:Country>\n",
    "      </cac:PostalAddress>\n",
    "      <cac:PartyTaxScheme>\n",
    "        <cbc:CompanyID>NO923456783MVA</cbc:CompanyID>\n",
    "        <cac:TaxScheme>\n",
    "          <cbc:ID>VAT</cbc:ID>\n",
    "        </cac:TaxScheme>\n",
    "      </cac:PartyTaxScheme>\n",
    "      <cac:PartyLegalEntity>\n",
    "        <cbc:RegistrationName>Kjøper AS</cbc:RegistrationName>\n",
    "        <cbc:CompanyID schemeID=\"0192\">923456783</cbc:CompanyID>\n",
    "      </cac:PartyLegalEntity>\n",
    "    </cac:Party>\n",
    "  </cac:AccountingCustomerParty>\n",
    "  <cac:Delivery>\n",
    "    <cbc:ActualDeliveryDate>2024-03-15</cbc:ActualDeliveryDate>\n",
    "  </cac:Delivery>\n",
    "  <cac:PaymentMeans>\n",
    "    <cbc:PaymentMeansCode>31</cbc:PaymentMeansCode>\n",
    "    <cbc:PaymentID>10001006</cbc:PaymentID>\n",
    "    <cac:PayeeFinancialAccount>\n",
    "      <cbc:ID>86011117947</cbc:ID>\n",
    "    </cac:PayeeFinancialAccount>\n",
    "  </cac:PaymentMeans>\n",
    "  <cac:TaxTotal>\n",
    "    <cbc:TaxAmount currencyID=\"NOK\">365.13</cbc:TaxAmount>\n",
    "    <cac:TaxSubtotal>\n",
    "      <cbc:TaxableAmount currencyID=\"NOK\">1460.50</cbc:TaxableAmount>\n",
    "      <cbc:TaxAmount currencyID=\"NOK\">365.13</cbc:TaxAmount>\n",
    "      <cac:TaxCategory>\n",
    "        <cbc:ID>S</cbc:ID>\n",
    "        <cbc:Percent>25</cbc:Percent>\n",
    "        <cac:TaxScheme>\n",
    "          <cbc:ID>VAT</cbc:ID>\n",
    "        </cac:TaxScheme>\n",
    "      </cac:TaxCategory>\n",
    "    </cac:TaxSubtotal>\n",
    "  </cac:TaxTotal>\n",
    "  <cac:LegalMonetaryTotal>\n",
    "    <cbc:LineExtensionAmount currencyID=\"NOK\">1460.50</cbc:LineExtensionAmount>\n",
    "    <cbc:TaxExclusiveAmount currencyID=\"NOK\">1460.50</cbc:TaxExclusiveAmount>\n",
    "    <cbc:TaxInclusiveAmount currencyID=\"NOK\">1825.63</cbc:TaxInclusiveAmount>\n",
    "    <cbc:PayableAmount currencyID=\"NOK\">1825.63</cbc:PayableAmount>\n",
    "  </cac:LegalMonetaryTotal>\n",
    "  <cac:InvoiceLine>\n",
    "    <cbc:ID>1</cbc:ID>\n",
    "    <cbc:InvoicedQuantity unitCode=\"HUR\">2</cbc:InvoicedQuantity>\n",
    "    <cbc:LineExtensionAmount currencyID=\"NOK\">1460.50</cbc:LineExtensionAmount>\n",
    "    <cac:Item>\n",
    "      <cbc:Name>Rådgivning</cbc:Name>\n",
    "      <cac:ClassifiedTaxCategory>\n",
    "        <cbc:ID>S</cbc:ID>\n",
    "        <cbc:Percent>25</cbc:Percent>\n",
    "        <cac:TaxScheme>\n",
    "          <cbc:ID>VAT</cbc:ID>\n",
    "        </cac:TaxScheme>\n",
    "      </cac:ClassifiedTaxCategory>\n",
    "    </cac:Item>\n",
    "    <cac:Price>\n",
    "      <cbc:PriceAmount currencyID=\"NOK\">730.25</cbc:PriceAmount>\n",
    "    </cac:Price>\n",
    "  </cac:InvoiceLine>\n",
    "</Invoice>",
    NULL,
};

/* The pieces joined; the caller frees it. */
static char *joined(const char *const *parts) {
    size_t size = 1;
    for (const char *const *p = parts; *p != NULL; p++) {
        size += strlen(*p);
    }
    char *out = malloc(size);
    if (out == NULL) {
        return NULL;
    }
    out[0] = '\0';
    for (const char *const *p = parts; *p != NULL; p++) {
        strcat(out, *p);
    }
    return out;
}

/* A copy of `text` with the first `from` replaced by `to`; the caller frees it. */
static char *replaced(const char *text, const char *from, const char *to) {
    const char *at = strstr(text, from);
    if (at == NULL) {
        return NULL;
    }
    size_t head = (size_t)(at - text);
    size_t size = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(size);
    if (out == NULL) {
        return NULL;
    }
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

int main(void) {
    char *invoice_xml = joined(INVOICE_XML_PARTS);
    CHECK(invoice_xml != NULL);
    if (invoice_xml == NULL) {
        TEST_SUMMARY("test_ehf");
    }

    /* Read: the JSON form of the invoice. */
    char *json = NULL;
    CHECK_OK(tillit_from_ehf(invoice_xml, &json));
    CHECK(json != NULL);
    CHECK(strstr(json, "\"version\":1,\"invoice\":") != NULL);
    CHECK(strstr(json, "\"number\":\"10001\"") != NULL);

    /* Write back: the same bytes. */
    char *xml = NULL;
    CHECK_OK(tillit_invoice_to_ehf(json, &xml));
    CHECK(xml != NULL && strcmp(xml, invoice_xml) == 0);
    tillit_string_free(xml);

    /* An invoice is not a credit note. */
    char *wrong = NULL;
    CHECK_STATUS(tillit_credit_note_to_ehf(json, &wrong), TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(wrong == NULL);

    /* EHF needs a buyer or order reference: refused, naming the field. */
    char *no_ref = replaced(json, "\"buyer_reference\":\"Kari Nordmann\"", "\"buyer_reference\":null");
    CHECK(no_ref != NULL);
    if (no_ref != NULL) {
        char *out = NULL;
        CHECK_STATUS(tillit_invoice_to_ehf(no_ref, &out), TILLIT_ERR_EHF_UNWRITABLE);
        CHECK(strstr(last_error(), "buyer_reference") != NULL);
        CHECK(out == NULL);
        free(no_ref);
    }
    tillit_string_free(json);

    /* Totals that the lines do not give are refused, naming the element. */
    char *tampered = replaced(invoice_xml, ">1825.63</cbc:PayableAmount>", ">1825.64</cbc:PayableAmount>");
    CHECK(tampered != NULL);
    if (tampered != NULL) {
        char *out = NULL;
        CHECK_STATUS(tillit_from_ehf(tampered, &out), TILLIT_ERR_EHF_REFUSED);
        CHECK(strstr(last_error(), "cac:LegalMonetaryTotal/cbc:PayableAmount") != NULL);
        CHECK(out == NULL);
        free(tampered);
    }

    /* Malformed XML and NULL arguments. */
    char *out = NULL;
    CHECK_STATUS(tillit_from_ehf("<Invoice", &out), TILLIT_ERR_EHF_REFUSED);
    CHECK(strstr(last_error(), "malformed XML") != NULL);
    CHECK_STATUS(tillit_from_ehf(NULL, &out), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_from_ehf(invoice_xml, NULL), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_invoice_to_ehf(NULL, &out), TILLIT_ERR_NULL_ARGUMENT);
    CHECK_STATUS(tillit_invoice_to_ehf("{", &out), TILLIT_ERR_INVALID_ARGUMENT);
    CHECK(out == NULL);
    CHECK(strcmp(tillit_status_name(TILLIT_ERR_EHF_REFUSED), "TILLIT_ERR_EHF_REFUSED") == 0);

    free(invoice_xml);
    TEST_SUMMARY("test_ehf");
}
