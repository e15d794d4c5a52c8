"""What people type and read: parsing (amounts such as « 8 500 € HT », percentages,
phones, the « email / tel » cell, dates such as « lundi », j+7, « fin janvier ») and
datetext (French dates in words).

Plain functions of plain values. Imports nothing else of relances.
"""
